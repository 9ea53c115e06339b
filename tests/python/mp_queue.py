# The tutorial's Queue example, as written, but for the writer's sleeps:
# random.random() * SCALE seconds, SCALE the first argument (default 1, as
# the chapter has it). Not named queue.py: beside the program, that name
# would hide the standard library's queue module.
import sys
from multiprocessing import Process, Queue
import os, time, random

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1

# 写数据进程执行的代码:
def write(q):
    print('Process to write: %s' % os.getpid())
    for value in ['A', 'B', 'C']:
        print('Put %s to queue...' % value)
        q.put(value)
        time.sleep(random.random() * SCALE)

# 读数据进程执行的代码:
def read(q):
    print('Process to read: %s' % os.getpid())
    while True:
        value = q.get(True)
        print('Get %s from queue.' % value)

if __name__=='__main__':
    # 父进程创建Queue，并传给各个子进程：
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    # 启动子进程pw，写入:
    pw.start()
    # 启动子进程pr，读取:
    pr.start()
    # 等待pw结束:
    pw.join()
    # pr进程里是死循环，无法等待其结束，只能强行终止:
    pr.terminate()
