# The tutorial's threading example, as written, but for the sleep: its
# length is the first argument (default 1 second, as the chapter has it).
import sys
import time, threading

DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 1

# 新线程执行的代码:
def loop():
    print('thread %s is running...' % threading.current_thread().name)
    n = 0
    while n < 5:
        n = n + 1
        print('thread %s >>> %s' % (threading.current_thread().name, n))
        time.sleep(DELAY)
    print('thread %s ended.' % threading.current_thread().name)

print('thread %s is running...' % threading.current_thread().name)
t = threading.Thread(target=loop, name='LoopThread')
t.start()
t.join()
print('thread %s ended.' % threading.current_thread().name)
