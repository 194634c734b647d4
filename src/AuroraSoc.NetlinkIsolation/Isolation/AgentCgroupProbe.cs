using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// <c>--verify-collector</c> as an agent cgroup (docs/ruleset.md, "Agent identity"): a socket belongs to the cgroup of
/// the process that creates it, and in cgroup v2 a process, not a thread, is placed in a cgroup. So the probe is a
/// short-lived child — this program re-executed with <see cref="Entry"/> — that waits on stdin until the parent has
/// written its pid to the agent cgroup's cgroup.procs, then connects from the target namespace and prints one result
/// line per collector. The library has no executable of its own: the command line sets <see cref="Command"/>, and
/// without it verification as a cgroup is refused before anything changes.
/// </summary>
internal static class AgentCgroupProbe
{
    /// <summary>The hidden first argument that makes the executable the probe child.</summary>
    public const string Entry = "__probe-collector";

    /// <summary>How long past the connect timeout the child may take to start, answer and exit.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>Bytes read from stdin at most for the "go" line; anything longer is not "go".</summary>
    private const int GoLineLimit = 16;

    /// <summary>
    /// The program (and, under <c>dotnet</c>, its assembly) that answers <see cref="Entry"/>; null where none does (a
    /// library user).
    /// </summary>
    public static IReadOnlyList<string>? Command { get; set; }

    /// <summary>
    /// Connects to every target from <paramref name="namespacePath"/> (null: this namespace) in a child placed in
    /// <paramref name="cgroup"/>. A child that cannot be placed, started or heard from fails every attempt with why.
    /// </summary>
    public static IReadOnlyList<CollectorCheck> Run(AgentIdentity cgroup, string? namespacePath, IReadOnlyList<Endpoint> targets, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        ArgumentNullException.ThrowIfNull(targets);
        if (Command is not [string executable, ..] command)
        {
            return Failed(targets, "no executable to probe as an agent cgroup");
        }

        if (CgroupV2Hierarchy.FromMountInfo(AgentIdentityHost.System.MountInfo()) is not { } hierarchy || cgroup.CgroupPath is not { } path)
        {
            return Failed(targets, $"agent cgroup {cgroup} not found: no cgroup v2 hierarchy is mounted");
        }

        string directory = hierarchy.DirectoryOf(path);
        var arguments = new List<string>(command.Count + 2 + targets.Count);
        for (int i = 1; i < command.Count; i++)
        {
            arguments.Add(command[i]);
        }

        arguments.Add(Entry);
        arguments.Add(namespacePath ?? "-");
        arguments.Add(((long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        foreach (Endpoint target in targets)
        {
            arguments.Add(target.ToString());
        }

        // posix_spawn through native-interop, not System.Diagnostics.Process: its pipe streams would bring
        // System.IO.Pipes and System.Net.Sockets back into the NativeAOT CLI
        // (docs/adr/0004-sockets-through-native-interop.md).
        int started = ChildProcess.TryStart(executable, arguments, out ChildProcess? spawned);
        if (spawned is null)
        {
            throw new IOException($"cannot start {executable} to probe as agent cgroup {directory}: {Errno.Describe(started)}");
        }

        // Disposing kills the child if it is still running and always reaps it, whatever happened before.
        using ChildProcess child = spawned;
        if (Place(child.ProcessId, directory) is { } refused)
        {
            return Failed(targets, refused);
        }

        // A child that has already gone makes this EPIPE; its missing answer then says so below.
        _ = child.WriteInput("go\n"u8);
        child.CloseInput();
        return child.ReadOutputToEnd(timeout + Grace, out string answer) == 0
            ? Parse(targets, answer)
            : Failed(targets, $"the probe in agent cgroup {directory} did not answer");
    }

    /// <summary>The child's side: waits for "go", connects, prints "ok MS" or "fail MS ERROR" per target in order.</summary>
    /// <param name="args">[<see cref="Entry"/>, namespace path or "-", timeout in ms, endpoint...].</param>
    /// <param name="output">Where the result lines go, to the parent.</param>
    /// <remarks>"go" arrives on stdin (fd 0, read without System.Console) once the parent has placed this process in the cgroup.</remarks>
    public static int RunChild(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Count < 4 || !long.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds) || StandardInput.ReadLine(GoLineLimit) != "go")
        {
            return 2;
        }

        string? namespacePath = args[1] == "-" ? null : args[1];
        var targets = new List<Endpoint>();
        for (int i = 3; i < args.Count; i++)
        {
            targets.Add(Endpoint.Parse(args[i]));
        }

        foreach (CollectorCheck check in CollectorVerification.Run(targets, TimeSpan.FromMilliseconds(milliseconds), family => CollectorVerification.CreateSocket(namespacePath, family)))
        {
            output.WriteLine(check.Ok
                ? string.Create(CultureInfo.InvariantCulture, $"ok {check.Milliseconds}")
                : string.Create(CultureInfo.InvariantCulture, $"fail {check.Milliseconds} {check.Error}"));
        }

        output.Flush();
        return 0;
    }

    /// <summary>Null once the process is in the cgroup, else why not.</summary>
    private static string? Place(int pid, string directory)
    {
        try
        {
            File.WriteAllText(directory + "/cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        catch (IOException exception) when (exception.HResult == Errno.EBUSY)
        {
            // cgroup v2's no-internal-process rule (Documentation/admin-guide/cgroup-v2.rst): a cgroup with controllers
            // enabled in cgroup.subtree_control takes no processes, so the agent cannot be run in it either.
            return $"agent cgroup {directory} refuses new processes (EBUSY: a non-leaf cgroup with controllers enabled in cgroup.subtree_control)";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"cannot place the probe in agent cgroup {directory}: {exception.Message}";
        }
    }

    private static List<CollectorCheck> Parse(IReadOnlyList<Endpoint> targets, string answer)
    {
        string[] lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var checks = new List<CollectorCheck>(targets.Count);
        for (int i = 0; i < targets.Count; i++)
        {
            string[] parts = i < lines.Length ? lines[i].Split(' ', 3) : [];
            checks.Add(parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds) && parts[0] is "ok" or "fail"
                ? new CollectorCheck(targets[i], parts[0] == "ok", milliseconds, parts[0] == "ok" ? null : parts.Length == 3 ? parts[2] : "failed")
                : new CollectorCheck(targets[i], false, 0, "the probe in the agent cgroup gave no answer"));
        }

        return checks;
    }

    private static List<CollectorCheck> Failed(IReadOnlyList<Endpoint> targets, string reason)
    {
        var checks = new List<CollectorCheck>(targets.Count);
        foreach (Endpoint target in targets)
        {
            checks.Add(new CollectorCheck(target, false, 0, reason));
        }

        return checks;
    }
}
