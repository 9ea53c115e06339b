# The tutorial's lost-update example, as written, but for the number of
# iterations: the first argument (default 2000000, as the chapter has it).
import sys
import time, threading

ITERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000000

# 假定这是你的银行存款:
balance = 0

def change_it(n):
    # 先存后取，结果应该为0:
    global balance
    balance = balance + n
    balance = balance - n

def run_thread(n):
    for i in range(ITERATIONS):
        change_it(n)

t1 = threading.Thread(target=run_thread, args=(5,))
t2 = threading.Thread(target=run_thread, args=(8,))
t1.start()
t2.start()
t1.join()
t2.join()
print(balance)
