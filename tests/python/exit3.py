# Ends with os._exit(3) while a thread is still at work, under tracing:
# no atexit, no thread cleanup, and the status must still be 3.
import os, threading, time

def work():
    n = 0
    while True:
        n = n + 1
        time.sleep(0.01)

t = threading.Thread(target=work, name='Worker', daemon=True)
t.start()
time.sleep(0.3)
print('bye')
os._exit(3)
