using System.Diagnostics;

namespace Workflows.Benchmarks.Support;

/// <summary>One line on the terminal that says what runs now, how far it is and how long the whole run has taken.</summary>
public static class Progress
{
    private static readonly Stopwatch Total = Stopwatch.StartNew();
    private static readonly Lock Gate = new();
    private static string phase = "";
    private static int lastLength;
    private static TimeSpan lastWritten = TimeSpan.MinValue;
    private static bool phaseChanged;

    public static void Phase(string name)
    {
        lock (Gate)
        {
            phase = name;
            phaseChanged = true;
        }
        Report("");
    }

    public static void Report(string detail)
    {
        lock (Gate)
        {
            var line = $"[{Total.Elapsed:mm\\:ss}] {phase} {detail}";
            var pad = Math.Max(0, lastLength - line.Length);
            lastLength = line.Length;
            if (Console.IsErrorRedirected)
            {
                // Into a file: a line when a phase starts and then every 5 seconds, not a flood.
                if (phaseChanged || Total.Elapsed - lastWritten >= TimeSpan.FromSeconds(5))
                {
                    Console.Error.WriteLine(line);
                    lastWritten = Total.Elapsed;
                    phaseChanged = false;
                }
            }
            else
            {
                Console.Error.Write("\r" + line + new string(' ', pad));
            }
        }
    }

    /// <summary>Ends the progress line so the next output starts on a new one.</summary>
    public static void Done()
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.WriteLine();
        }
    }
}
