# ptmon's tracer, loaded by `ptmon -- python3 PROG`: ptmon puts this
# directory first on PYTHONPATH and hands down its control block as an
# inherited file descriptor (PTMON_CTL_FD, PTMON_CTL_SIZE). Here the
# _ptmon_trace module maps it and makes the program's threads ptmon's
# tasks (see ptmon_trace.c); then the sitecustomize this one hides, if
# any, runs as it would have. When anything fails the program runs
# untraced, and ptmon's log gets one line on stderr that says why.
# Programs it starts (subprocess, exec) run plain: the variables go.


def _ptmon_trace_start():
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    env = os.environ
    path = [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
            if p and os.path.abspath(p) != here]
    if path:
        env["PYTHONPATH"] = os.pathsep.join(path)
    else:
        env.pop("PYTHONPATH", None)
    fd = env.pop("PTMON_CTL_FD", None)
    size = env.pop("PTMON_CTL_SIZE", None)
    if fd is None:
        return here
    try:
        import threading
        try:
            import _ptmon_trace
        except ImportError as e:
            raise RuntimeError("the tracer cannot be loaded into this "
                               "Python (%s)" % e) from None
        stdlib = os.path.dirname(threading.__file__)
        _ptmon_trace.start(int(fd), int(size or -1), stdlib, here)
        # Its watcher thread (ptmon_trace.c) ends before the interpreter.
        import atexit
        atexit.register(_ptmon_trace.stop)
    except Exception as e:
        try:
            sys.stderr.write("ptmon: Python stepping is off: %s\n" % (e,))
            sys.stderr.flush()
        except Exception:
            pass
        return here
    finally:
        try:
            os.close(int(fd))
        except (OSError, ValueError):
            pass

    class _Holder:
        pass
    holder = _Holder()

    def task_name(name):
        # Pool workers as the chapter and the pool scenario name them:
        # ForkPoolWorker-1 (16 bytes, more than a thread's name holds)
        # is PoolWorker-1; the start method is multiprocessing's detail.
        for prefix in ("ForkServerPoolWorker-", "ForkPoolWorker-",
                       "SpawnPoolWorker-"):
            if name.startswith(prefix):
                return name[len(prefix) - len("PoolWorker-"):]
        return name

    def after_fork():
        _ptmon_trace.forked("MainProcess")
        # multiprocessing names its child after the fork, in _bootstrap.
        mp = sys.modules.get("multiprocessing.process")
        util = sys.modules.get("multiprocessing.util")
        if mp is not None and util is not None:
            util.register_after_fork(
                holder,
                lambda _: _ptmon_trace.named(
                    task_name(mp.current_process().name)))

    # The program's queues in ptmon's queue pane (_ptmon_queues.py).
    try:
        import _ptmon_queues
        _ptmon_queues.install(_ptmon_trace, stdlib, here)
    except Exception as e:
        try:
            sys.stderr.write("ptmon: queues are not shown: %s\n" % (e,))
            sys.stderr.flush()
        except Exception:
            pass

    _ptmon_trace.lab_setup(_ptmon_lab_dis)
    threading.settrace(_ptmon_trace.thread_hook)
    os.register_at_fork(after_in_child=after_fork)
    _ptmon_trace.register("MainThread", False)
    _ptmon_trace_start.holder = holder
    return here


def _ptmon_lab_dis(code):
    # The lab's table of a code object, made once for it while something
    # is paused: ({offset: (opname, name or None, line)},
    # {line: "OFFSET OPNAME ARGREPR\n" per instruction of the line}).
    import dis
    named = ("LOAD_GLOBAL", "STORE_GLOBAL", "LOAD_NAME", "STORE_NAME")
    ops, lines, line = {}, {}, None
    for ins in dis.get_instructions(code):
        n = getattr(ins, "line_number", None)
        if n is not None or isinstance(ins.starts_line, int) and \
                not isinstance(ins.starts_line, bool):
            line = n if n is not None else ins.starts_line
        if ins.opname in ("CACHE", "EXTENDED_ARG"):
            continue
        name = ins.argval if ins.opname in named and \
            isinstance(ins.argval, str) else None
        ops[ins.offset] = (ins.opname, name, line)
        if line is not None:
            lines.setdefault(line, []).append(
                ("%d %s %s" % (ins.offset, ins.opname,
                               ins.argrepr)).rstrip())
    return ops, {k: "\n".join(v) + "\n" for k, v in lines.items()}


def _ptmon_chain(here):
    # Runs the sitecustomize that ours hides (Debian's, a venv's), if any.
    import importlib.machinery
    import importlib.util
    import sys

    import os
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path[:] = path
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    mod = importlib.util.module_from_spec(spec)
    saved = sys.modules.get("sitecustomize")
    sys.modules["sitecustomize"] = mod
    try:
        spec.loader.exec_module(mod)
    finally:
        if saved is not None:
            sys.modules["sitecustomize"] = saved


_ptmon_chain(_ptmon_trace_start())
