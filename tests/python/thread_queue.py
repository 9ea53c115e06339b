# queue.Queue between threads, for tests/python.sh (not the chapter's):
# each phase holds still for DELAY seconds (the first argument, default
# 0.5) so ptmon's snapshots see it. `jobs` holds A, B, C; then Worker
# empties it and waits on it; then it holds 20 numbers, more than ptmon's
# block shows (16), and 5 of them are got. A LifoQueue beside it is not
# shown (its order is not a queue's).
import queue, sys, threading, time

DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5

jobs = queue.Queue()
stack = queue.LifoQueue()
stack.put('Z')
for value in ['A', 'B', 'C']:
    jobs.put(value)
time.sleep(DELAY)

def work():
    while True:
        value = jobs.get()
        if value is None:
            break
        print('got %s' % value)

t = threading.Thread(target=work, name='Worker')
t.start()
time.sleep(DELAY)
jobs.put(None)
t.join()
for i in range(20):
    jobs.put(i)
time.sleep(DELAY)
for i in range(5):
    jobs.get()
time.sleep(DELAY)
