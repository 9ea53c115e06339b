# ptmon's queue mirror, loaded by sitecustomize.py (beside it) when the
# tracer runs: the program's own queue.Queue and multiprocessing.Queue
# objects are shown in ptmon's queue pane as they are put and got, as the
# built-in queue scenario's queue is.
#
# Each such queue made by the program's own code (not by the standard
# library's, e.g. a Manager's) takes one of the control block's queues
# (two at most; later ones are not shown), named after the variable it is
# stored in ("q"), else "Queue-N". Then every put and get is mirrored there
# as a short repr of the item (the block keeps CTL_ITEM_LEN - 1 bytes;
# ptmon sanitises what it shows). The program's queue still holds the
# items: the mirror never blocks it, and when anything fails the program
# goes on unmirrored.
#
# - queue.Queue: _put and _get, which run under the queue's mutex, so the
#   mirror keeps the queue's order; LifoQueue and PriorityQueue, which
#   have their own, are not mirrored.
# - multiprocessing.Queue (and JoinableQueue): put in the process that
#   puts, before the item goes (taken back if the put fails), get in the
#   process that gets; the block is shared by forked children, so the
#   writer's puts and the reader's gets meet there. A queue handed to a
#   spawned child is not mirrored there (that child is not traced).
#
# A get that may block (and a put on a full bounded queue) shows its thread
# as waiting on the queue for as long as it waits.
#
# Modules imported later are patched when they are imported (a finder on
# sys.meta_path), so a program that makes no queue pays nothing.

import os
import sys

_T = None               # the _ptmon_trace module
_STDLIB = ""
_OWN = ""
_PATCH = {}             # module name -> function that patches it
_repr = None


def _user_file(path):
    # The tracer's rule (ptmon_trace.c's user_file): the program's files.
    if not path or path.startswith("<"):
        return False
    for d in (_STDLIB, _OWN):
        if d and path.startswith(d + "/"):
            return False
    return "/site-packages/" not in path and "/dist-packages/" not in path


def _short(item):
    # A short repr: reprlib's, cut further by the block.
    global _repr
    try:
        if _repr is None:
            import reprlib
            r = reprlib.Repr()
            r.maxstring = r.maxother = r.maxlong = 28
            r.maxlist = r.maxtuple = r.maxdict = r.maxset = 4
            r.maxlevel = 2
            _repr = r
        return _repr.repr(item).replace("\0", "\\0")
    except Exception:
        return "<%s>" % type(item).__name__


def _stored_as(frame):
    # The name the value the frame is computing is stored in: the
    # instruction after the call it stands at ("q = Queue()": q).
    try:
        import dis
        # f_lasti is the call's, or one of its inline caches'.
        for ins in dis.get_instructions(frame.f_code):
            if ins.offset > frame.f_lasti:
                if ins.opname in ("STORE_NAME", "STORE_FAST",
                                  "STORE_GLOBAL", "STORE_DEREF",
                                  "STORE_ATTR"):
                    return str(ins.argval)
                return ""
    except Exception:
        pass
    return ""


def _claim(q):
    # In the queue's __init__: a block queue if the program's code made
    # it. Its index, kept on the queue (inherited by forked children).
    k = -1
    try:
        f = sys._getframe(2)
        while f is not None and f.f_globals.get("__name__") in (
                "queue", "multiprocessing.queues",
                "multiprocessing.context", __name__):
            f = f.f_back
        if f is not None and _user_file(f.f_code.co_filename):
            k = _T.queue_claim(_stored_as(f))
    except Exception:
        k = -1
    try:
        q._ptmon_q = k
    except Exception:
        pass


def _index(q):
    k = getattr(q, "_ptmon_q", -1)
    return k if isinstance(k, int) else -1


def _wrap_init(cls, shown=lambda q: True):
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if shown(self):
            _claim(self)
        else:
            self._ptmon_q = -1
    __init__.__wrapped__ = init
    cls.__init__ = __init__


def _patch_queue(mod):
    # queue.Queue: the items as they enter and leave its deque.
    Queue = mod.Queue
    if getattr(Queue, "_ptmon_patched", False):
        return
    fifo_put, fifo_get = Queue._put, Queue._get
    put, get = Queue.put, Queue.get

    def _put(self, item):
        fifo_put(self, item)
        k = _index(self)
        # Subclasses with their own order (Lifo, Priority) are not shown.
        if k >= 0 and type(self)._put is _put:
            _T.queue_put(k, _short(item))

    def _get(self):
        item = fifo_get(self)
        k = _index(self)
        if k >= 0 and type(self)._get is _get:
            _T.queue_got(k, _short(item))
        return item

    def put_(self, item, block=True, timeout=None):
        k = _index(self)
        if k < 0 or not block or not self.full():
            return put(self, item, block, timeout)
        _T.queue_wait(k, True, True)
        try:
            return put(self, item, block, timeout)
        finally:
            _T.queue_wait(k, True, False)

    def get_(self, block=True, timeout=None):
        k = _index(self)
        if k < 0 or not block or not self.empty():
            return get(self, block, timeout)
        _T.queue_wait(k, False, True)
        try:
            return get(self, block, timeout)
        finally:
            _T.queue_wait(k, False, False)

    _wrap_init(Queue, lambda q: type(q)._put is _put and
               type(q)._get is _get)
    Queue._put, Queue._get = _put, _get
    Queue.put, Queue.get = put_, get_
    Queue._ptmon_patched = True


def _patch_mp_queues(mod):
    # multiprocessing.Queue: put shown before the item goes to the pipe,
    # got once the getting process has it.
    Queue = mod.Queue
    if getattr(Queue, "_ptmon_patched", False):
        return

    def mirrored_put(put):
        def put_(self, obj, block=True, timeout=None):
            k = _index(self)
            if k < 0:
                return put(self, obj, block, timeout)
            text = _short(obj)
            _T.queue_put(k, text)
            waits = block and self._maxsize > 0 and self.full()
            if waits:
                _T.queue_wait(k, True, True)
            try:
                return put(self, obj, block, timeout)
            except BaseException:
                _T.queue_unput(k, text)
                raise
            finally:
                if waits:
                    _T.queue_wait(k, True, False)
        put_.__wrapped__ = put
        return put_

    get = Queue.get

    def get_(self, block=True, timeout=None):
        k = _index(self)
        if k < 0:
            return get(self, block, timeout)
        try:
            waits = block and self.empty()
        except Exception:
            waits = False       # closed: get says so
        if waits:
            _T.queue_wait(k, False, True)
        try:
            obj = get(self, block, timeout)
        finally:
            if waits:
                _T.queue_wait(k, False, False)
        _T.queue_got(k, _short(obj))
        return obj

    _wrap_init(Queue)
    Queue.put = mirrored_put(Queue.put)
    Queue.get = get_
    if "put" in getattr(mod, "JoinableQueue", object).__dict__:
        mod.JoinableQueue.put = mirrored_put(mod.JoinableQueue.put)
    Queue._ptmon_patched = True


class PatchOnImport:
    # A finder for sys.meta_path: patches[name](module) once the module is
    # loaded, so a program that never imports it pays nothing. A patch that
    # fails leaves the module as it is and says "ptmon: FAILED: why" on
    # stderr. once: the finder goes when its first module is loaded.
    # sitecustomize.py uses it too (for multiprocessing.util).
    def __init__(self, patches, failed, once=False):
        self.patches = patches
        self.failed = failed
        self.once = once

    def find_spec(self, name, path=None, target=None):
        if name not in self.patches:
            return None
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or \
                not hasattr(spec.loader, "exec_module"):
            return None
        loader_exec = spec.loader.exec_module

        def exec_module(module):
            loader_exec(module)
            if self.once:
                try:
                    sys.meta_path.remove(self)
                except ValueError:
                    pass
            try:
                self.patches[name](module)
            except Exception as e:
                try:
                    sys.stderr.write("ptmon: %s: %s\n" % (self.failed, e))
                except Exception:
                    pass
        spec.loader.exec_module = exec_module
        return spec

    def invalidate_caches(self):
        pass


def install(trace, stdlib_dir, own_dir):
    global _T, _STDLIB, _OWN
    _T = trace
    _STDLIB = os.path.abspath(stdlib_dir)
    _OWN = os.path.abspath(own_dir)
    _PATCH["queue"] = _patch_queue
    _PATCH["multiprocessing.queues"] = _patch_mp_queues
    for name, patch in _PATCH.items():
        if name in sys.modules:
            patch(sys.modules[name])
    # Patches queue and multiprocessing.queues as they are imported.
    sys.meta_path.insert(0, PatchOnImport(_PATCH, "queues are not shown"))
