# multiprocessing's spawn start method: a Process named Spawned (a fresh
# interpreter, not a fork), then a spawn Pool of 2; each child sleeps
# SCALE seconds (the first argument, default 1) so the snapshots see it.
import multiprocessing
import os
import sys
import time

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1


def run_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()))
    time.sleep(SCALE)


def task(i):
    time.sleep(SCALE)
    return i * i


if __name__ == '__main__':
    ctx = multiprocessing.get_context('spawn')
    p = ctx.Process(target=run_proc, args=('test',), name='Spawned')
    p.start()
    p.join()
    print('Child exit code %s.' % p.exitcode)
    with ctx.Pool(2) as pool:
        print(pool.map(task, range(2)))
    print('Child process end.')
