using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>
/// Where each thread of a live process is waiting, from <c>/proc/PID/task</c>: its name, its wait channel and its kernel
/// stack (root reads it). For the message of a test that timed out waiting on a process: a thread in <c>flock</c>, a
/// futex (a managed lock or event) or a netlink receive tells the hang apart without a debugger.
/// </summary>
public static class ProcessThreads
{
    /// <summary>One paragraph per thread; a line saying why when the process is gone or unreadable.</summary>
    public static string Describe(int processId)
    {
        string tasks = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task";
        var report = new StringBuilder();
        try
        {
            // Signals: pending for the process (ShdPnd) and, per thread, pending (SigPnd) and blocked (SigBlk) — a signal
            // that every thread blocks stays pending and is never handled.
            report.Append(CultureInfo.InvariantCulture, $"process {processId}: {Status(Path.GetDirectoryName(tasks)!, "ShdPnd")}\n");
            foreach (string task in Directory.GetDirectories(tasks).Order(StringComparer.Ordinal))
            {
                report.Append(CultureInfo.InvariantCulture, $"thread {Path.GetFileName(task)} '{Read(task, "comm")}' waits in {Read(task, "wchan")}; {Status(task, "SigPnd")} {Status(task, "SigBlk")}\n");
                foreach (string frame in Read(task, "stack").Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(12))
                {
                    report.Append("    ").Append(frame).Append('\n');
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            report.Append(CultureInfo.InvariantCulture, $"threads of {processId} unreadable: {exception.Message}\n");
        }

        return report.ToString();
    }

    /// <summary>
    /// Each thread's user-space stack from <c>gdb -batch</c> when gdb is installed (NativeAOT frames are named from the
    /// executable's <c>.dbg</c> beside it); null without gdb.
    /// </summary>
    public static string? NativeStacks(int processId)
    {
        if (!File.Exists("/usr/bin/gdb"))
        {
            return null;
        }

        ProcessResult result = ProcessRunner.Run(
            "/usr/bin/gdb",
            ["-p", processId.ToString(CultureInfo.InvariantCulture), "-batch", "-nx", "-ex", "thread apply all bt 25"],
            timeout: TimeSpan.FromSeconds(60));
        return result.StandardOutput;
    }

    private static string Status(string directory, string field)
    {
        foreach (string line in Read(directory, "status").Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return line.Replace("\t", " ", StringComparison.Ordinal);
            }
        }

        return field + ": ?";
    }

    private static string Read(string task, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, file)).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "(" + exception.Message + ")";
        }
    }
}
