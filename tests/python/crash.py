# Dies of SIGABRT (os.abort) while a thread is at work, under tracing.
import os, threading, time

def work():
    while True:
        time.sleep(0.01)

threading.Thread(target=work, name='Worker', daemon=True).start()
time.sleep(0.3)
os.abort()
