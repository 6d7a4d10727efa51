#!/usr/bin/env python3
"""Where a dotnet-trace (converted: dotnet-trace convert --format Speedscope) spent its *busy* samples.

dotnet-trace's sampled thread time counts waiting threads too. This keeps only the time a thread ran managed code (the
converter's CPU_TIME leaf, not inside a wait) and prints the frames most often on the remaining stacks,
inclusive, as a share of the busy samples. Usage: busy-frames.py FILE.speedscope.json [N] [FILTER]
FILTER keeps only stacks with a frame containing that text (e.g. AnswerPages, InstancesApi).
"""
import json, sys, collections

WAITS = ("Monitor.Wait", "WaitHandle.Wait", "Thread.Sleep", "LowLevelLifoSemaphore", "ManualResetEventSlim.Wait",
         "SemaphoreSlim.Wait", "SocketAsyncEngine.EventLoop", "TryReadEvent", "WaitAnyMultiple", "Missing Symbol",
         "Interop+Sys.WaitForSocketEvents", "SpinWait", "Thread.SleepInternal", "WaitNative", "UnmanagedThreadStart")

def main():
    data = json.load(open(sys.argv[1]))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    keep = sys.argv[3] if len(sys.argv) > 3 else None
    frames = [f["name"] for f in data["shared"]["frames"]]
    counts, busy = collections.Counter(), 0.0

    def account(stack, duration):
        nonlocal busy
        if not stack or duration <= 0:
            return
        names = [frames[i] for i in stack]
        # The converter ends each stack with CPU_TIME (running managed code) or UNMANAGED_CODE_TIME (mostly blocked).
        if names[-1] != "CPU_TIME" or any(w in names[-2] for w in WAITS if len(names) > 1):
            return
        if keep and not any(keep in name for name in names):
            return
        busy += duration
        for name in set(names):
            counts[name] += duration

    for profile in data["profiles"]:
        # Evented profiles: frames open (O) and close (C); a stack holds from one event to the next.
        stack, last = [], None
        for event in profile.get("events", []):
            if last is not None:
                account(stack, event["at"] - last)
            last = event["at"]
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"busy thread time: {busy:.0f} ms")
    for name, count in counts.most_common(n):
        print(f"{100.0 * count / busy:6.1f}%  {name[:150]}")

main()
