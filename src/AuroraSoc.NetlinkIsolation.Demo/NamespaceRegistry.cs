using System.Globalization;
using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>
/// Creates the demo's namespaces (<c>aurorasoc-demo-PID-ROLE</c>) and deletes all of them exactly once — from the
/// normal end, a failure, Ctrl-C, SIGTERM or process exit, whichever comes first. Once deleted, no new one can be
/// created, so a cancel racing a creation cannot leak one. Leftovers of a demo that was killed outright (SIGKILL)
/// are swept by the next run.
/// </summary>
internal sealed partial class NamespaceRegistry
{
    private readonly Lock _gate = new();
    private readonly List<DemoNamespace> _created = [];
    private bool _closed;

    public DemoNamespace Create(string role)
    {
        var ns = new DemoNamespace(role, string.Create(CultureInfo.InvariantCulture, $"aurorasoc-demo-{Environment.ProcessId}-{role}"));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _created.Add(ns);
            ExternalCommand.RunChecked("ip", ["netns", "add", ns.Name]);
        }

        ns.IpBatch("link set lo up\n");
        return ns;
    }

    /// <summary>Deletes every namespace created so far (their veth pairs go with them). Idempotent; never throws.</summary>
    public int DeleteAll()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return 0;
            }

            _closed = true;
            int deleted = 0;
            for (int i = _created.Count - 1; i >= 0; i--)
            {
                deleted += TryDelete(_created[i].Name) ? 1 : 0;
            }

            return deleted;
        }
    }

    /// <summary>Deletes <c>aurorasoc-demo-PID-*</c> namespaces whose demo process no longer exists.</summary>
    public static IReadOnlyList<string> SweepStale()
    {
        var swept = new List<string>();
        CommandResult list = ExternalCommand.Run("ip", ["netns", "list"]);
        foreach (string line in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match match = DemoName().Match(line);
            if (match.Success && !Directory.Exists("/proc/" + match.Groups["pid"].Value) && TryDelete(match.Groups["name"].Value))
            {
                swept.Add(match.Groups["name"].Value);
            }
        }

        return swept;
    }

    private static bool TryDelete(string name)
    {
        try
        {
            return ExternalCommand.Run("ip", ["netns", "del", name]).ExitCode == 0;
        }
#pragma warning disable CA1031 // Cleanup must go on with the next namespace whatever happened to this one.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?<name>aurorasoc-demo-(?<pid>[0-9]+)-[a-z]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DemoName();
}
