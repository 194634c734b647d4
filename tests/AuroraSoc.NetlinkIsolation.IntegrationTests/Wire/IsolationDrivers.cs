using System.Diagnostics;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>How the matrix applies isolation to the Host namespace.</summary>
public enum IsolationVariant
{
    /// <summary><c>HostIsolator.Open("/run/netns/HOST")</c> from the test process's own namespace.</summary>
    Outside,

    /// <summary><c>HostIsolator.Open()</c> on a thread that has entered Host: the socket lives in Host.</summary>
    Inside,

    /// <summary>The <c>aurorasoc-isolate</c> CLI with <c>--netns /run/netns/HOST</c>.</summary>
    Cli,
}

/// <summary>Applies and removes isolation one way (library from outside / inside, or the CLI).</summary>
internal interface IIsolationDriver : IDisposable
{
    /// <summary>Applies <paramref name="policy"/>; returns the time the whole call took (for the CLI: the process)
    /// and the kernel transaction time the tool itself reported, in microseconds.</summary>
    (TimeSpan Call, long ReportedMicroseconds) Isolate(IsolationPolicy policy);

    void Unisolate();

    bool IsIsolated();
}

internal static class IsolationDrivers
{
    public static IIsolationDriver Open(IsolationVariant variant, ThrowawayNamespace host) => variant switch
    {
        IsolationVariant.Outside => new LibraryDriver(HostIsolator.Open(host.Path)),
        IsolationVariant.Inside => new LibraryDriver(host.RunInside(() => HostIsolator.Open())),
        IsolationVariant.Cli => new CliDriver(host),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}

internal sealed class LibraryDriver(HostIsolator isolator) : IIsolationDriver
{
    public (TimeSpan Call, long ReportedMicroseconds) Isolate(IsolationPolicy policy)
    {
        var clock = Stopwatch.StartNew();
        var result = isolator.Isolate(policy);
        return (clock.Elapsed, result.ElapsedMicroseconds);
    }

    public void Unisolate() => isolator.Unisolate();

    public bool IsIsolated() => isolator.IsIsolated();

    public void Dispose() => isolator.Dispose();
}

/// <summary>
/// Drives <c>aurorasoc-isolate</c> (cli.md) as an operator would: <c>aurorasoc-isolate isolate …
/// --netns /run/netns/HOST --json</c>, located and built by <see cref="Cli.CliProcess"/> in the tests' own
/// configuration (or <c>AURORASOC_ISOLATE_CLI</c>: a dll or the NativeAOT binary).
/// </summary>
internal sealed class CliDriver : IIsolationDriver
{
    private readonly ThrowawayNamespace host;

    public CliDriver(ThrowawayNamespace host)
    {
        this.host = host;
    }

    public (TimeSpan Call, long ReportedMicroseconds) Isolate(IsolationPolicy policy)
    {
        var result = Run(Arguments(policy, host.Path));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), $"isolate --json said ok=false: {result.StandardOutput}");
        Assert.Equal("isolated", root.GetProperty("state").GetString());
        var reported = root.TryGetProperty("elapsedMicroseconds", out var elapsed) && elapsed.TryGetInt64(out var value) ? value : -1;
        return (result.Elapsed, reported);
    }

    public void Unisolate() => Run(["unisolate", "--netns", host.Path, "--json"]);

    public bool IsIsolated()
    {
        var result = Cli.CliProcess.RunUnconfined("status", "--netns", host.Path);
        return result.ExitCode switch
        {
            0 => true,
            3 => false,
            _ => throw new InvalidOperationException($"`{result.CommandLine}` exited {result.ExitCode}: {result.StandardError.Trim()}"),
        };
    }

    public void Dispose()
    {
    }

    /// <summary>The CLI arguments (cli.md) that express <paramref name="policy"/> for the namespace at <paramref name="netns"/>.</summary>
    public static IReadOnlyList<string> Arguments(IsolationPolicy policy, string netns)
    {
        List<string> args = ["isolate"];
        foreach (var collector in policy.Collectors)
        {
            args.AddRange(["--collector", collector.ToString()]);
        }

        foreach (var peer in policy.AllowedPeers)
        {
            args.AddRange(["--allow-peer", peer.ToString()]);
        }

        if (policy.Dns == DnsPolicy.AnyResolver)
        {
            args.Add("--allow-dns");
        }

        foreach (var resolver in policy.DnsResolvers)
        {
            args.AddRange(["--dns-server", resolver.ToString()]);
        }

        if (policy.AllowDhcp)
        {
            args.Add("--allow-dhcp");
        }

        args.AddRange(["--mode", policy.Mode == IsolationMode.Strict ? "strict" : "keep"]);
        if (!policy.BlockForwarding)
        {
            args.Add("--keep-forwarding");
        }

        if (!policy.RejectTcp)
        {
            args.Add("--no-reject");
        }

        if (policy.TableName != IsolationPolicy.DefaultTableName)
        {
            args.AddRange(["--table", policy.TableName]);
        }

        args.AddRange(["--netns", netns, "--json"]);
        return args;
    }

    private static ProcessResult Run(IReadOnlyList<string> arguments)
    {
        var result = Cli.CliProcess.RunUnconfined([.. arguments]);
        Assert.True(
            result.ExitCode == 0,
            $"`{result.CommandLine}` exited {result.ExitCode}; stdout: {result.StandardOutput.Trim()}; stderr: {result.StandardError.Trim()}");
        return result;
    }
}
