# The tutorial's Pool example, as written, but for the sleeps: each task
# sleeps random.random() * SCALE seconds, SCALE the first argument
# (default 3, as the chapter has it).
import sys
from multiprocessing import Pool
import os, time, random

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 3

def long_time_task(name):
    print('Run task %s (%s)...' % (name, os.getpid()))
    start = time.time()
    time.sleep(random.random() * SCALE)
    end = time.time()
    print('Task %s runs %0.2f seconds.' % (name, (end - start)))

if __name__=='__main__':
    print('Parent process %s.' % os.getpid())
    p = Pool(4)
    for i in range(5):
        p.apply_async(long_time_task, args=(i,))
    print('Waiting for all subprocesses done...')
    p.close()
    p.join()
    print('All subprocesses done.')
