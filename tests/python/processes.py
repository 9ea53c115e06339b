# A multiprocessing.Process (fork start method), as the tutorial's
# run_proc example, and a plain os.fork() beside it.
import multiprocessing, os, time

def run_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()))
    time.sleep(0.6)

if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    p = multiprocessing.Process(target=run_proc, args=('test',))
    p.start()
    pid = os.fork()
    if pid == 0:
        time.sleep(0.6)
        os._exit(0)
    p.join()
    os.waitpid(pid, 0)
    print('Child process end.')
