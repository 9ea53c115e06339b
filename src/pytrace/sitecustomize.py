# ptmon's tracer, loaded by `ptmon -- python3 PROG`: ptmon puts this
# directory first on PYTHONPATH and hands down its control block as an
# inherited file descriptor (PTMON_CTL_FD, PTMON_CTL_SIZE). Here the
# _ptmon_trace module maps it and makes the program's threads ptmon's
# tasks (see ptmon_trace.c); then the sitecustomize this one hides, if
# any, runs as it would have. When anything fails the program runs
# untraced, and ptmon's log gets one line on stderr that says why.
# Programs it starts (subprocess, exec) run plain: the variables go, and
# the descriptor is kept close-on-exec. Only a child multiprocessing
# spawns (the spawn start method: spawn_main's command line) gets them
# back, for itself alone: _spawn_traced.


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
    spawned = env.pop("PTMON_CTL_SPAWNED", None) is not None
    if fd is None:
        return here
    kept = False
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
        # Kept for the children multiprocessing spawns, not for exec.
        os.set_inheritable(int(fd), False)
        kept = True
    except Exception as e:
        try:
            sys.stderr.write("ptmon: Python stepping is off: %s\n" % (e,))
            sys.stderr.flush()
        except Exception:
            pass
        return here
    finally:
        if not kept:
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
    if spawned:
        # A child multiprocessing spawned: MainProcess until _bootstrap
        # knows its name (spawn's preparation, the unpickled Process),
        # and calls SpawnProcess._after_fork, which does nothing there:
        # no after-fork hooks run in a spawned child.
        _ptmon_trace.spawned()
        _ptmon_trace.register("MainProcess", True)
        try:
            import multiprocessing.context
            import multiprocessing.process
            spawn_process = multiprocessing.context.SpawnProcess
            mp_after = spawn_process._after_fork

            def spawn_after():
                mp_after()
                _ptmon_trace.named(task_name(
                    multiprocessing.process.current_process().name))
            spawn_process._after_fork = staticmethod(spawn_after)
        except Exception as e:
            try:
                sys.stderr.write("ptmon: this process keeps the name "
                                 "MainProcess: %s\n" % (e,))
            except Exception:
                pass
    else:
        _ptmon_trace.register("MainThread", False)
    _spawn_traced(here, int(fd), int(size))
    _ptmon_trace_start.holder = holder
    return here


def _spawn_traced(here, fd, size):
    # multiprocessing starts a spawned child with util.spawnv_passfds
    # (popen_spawn_posix), its command line spawn_main's. That child
    # alone gets the block: the descriptor among the passed ones, and
    # the variables set by env(1) in front of the interpreter, so the
    # process's own environment (what subprocess and os.exec* use) stays
    # as it is, whichever thread starts what.
    import os
    import sys

    env_prog = "/usr/bin/env"

    def patch(util):
        orig = util.spawnv_passfds
        if getattr(orig, "_ptmon", False):
            return

        def spawnv_passfds(path, args, passfds):
            args = list(args)
            if not any("spawn_main(" in os.fsdecode(a) for a in args) or \
                    "=" in os.fsdecode(path) or \
                    not os.access(env_prog, os.X_OK):
                return orig(path, args, passfds)
            pp = [here] + [p for p in os.environ.get(
                "PYTHONPATH", "").split(os.pathsep) if p]
            cmd = [env_prog, "PTMON_CTL_FD=%d" % fd,
                   "PTMON_CTL_SIZE=%d" % size, "PTMON_CTL_SPAWNED=1",
                   "PYTHONPATH=" + os.pathsep.join(pp), path] + args[1:]
            # The executable as multiprocessing passes its own: bytes.
            return orig(os.fsencode(env_prog) if isinstance(path, bytes)
                        else env_prog, cmd, list(passfds) + [fd])
        spawnv_passfds._ptmon = True
        util.spawnv_passfds = spawnv_passfds

    if "multiprocessing.util" in sys.modules:
        patch(sys.modules["multiprocessing.util"])
        return

    # Patched when it is imported, by the queue mirror's finder.
    failed = "spawned children run untraced"
    try:
        from _ptmon_queues import PatchOnImport
    except Exception as e:
        try:
            sys.stderr.write("ptmon: %s: %s\n" % (failed, e))
        except Exception:
            pass
        return
    sys.meta_path.insert(0, PatchOnImport(
        {"multiprocessing.util": patch}, failed, once=True))


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
