using System.Diagnostics;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Support;
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
/// Drives <c>aurorasoc-isolate</c> (cli.md) as an operator would: <c>dotnet aurorasoc-isolate.dll isolate …
/// --netns /run/netns/HOST --json</c>. The test project has no reference to the CLI project, so the CLI must be
/// built first (<c>dotnet build src/AuroraSoc.NetlinkIsolation.Cli</c>); <c>AURORASOC_ISOLATE_CLI</c> may name
/// another build of the dll. A missing CLI skips the test (fails it with <c>AURORASOC_REQUIRE_PRIVILEGED=1</c>).
/// </summary>
internal sealed class CliDriver : IIsolationDriver
{
    public const string CliVariable = "AURORASOC_ISOLATE_CLI";

    private static readonly Lazy<(string? Dll, string? Problem)> Located = new(Locate);

    private readonly ThrowawayNamespace host;

    public CliDriver(ThrowawayNamespace host)
    {
        this.host = host;
        if (Located.Value.Problem is { } problem)
        {
            Requirements.Unavailable(problem);
        }
    }

    private static string Dll => Located.Value.Dll!;

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
        var result = ProcessRunner.Run("dotnet", [Dll, "status", "--netns", host.Path]);
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
        var result = ProcessRunner.Run("dotnet", [Dll, .. arguments]);
        Assert.True(
            result.ExitCode == 0,
            $"`{result.CommandLine}` exited {result.ExitCode}; stdout: {result.StandardOutput.Trim()}; stderr: {result.StandardError.Trim()}");
        return result;
    }

    private static (string? Dll, string? Problem) Locate()
    {
        var dll = Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Cli", "bin", "Debug", "net10.0", "aurorasoc-isolate.dll");
        if (!File.Exists(dll))
        {
            return (null, $"the aurorasoc-isolate CLI is not built ({dll} does not exist); run `dotnet build src/AuroraSoc.NetlinkIsolation.Cli` or set {CliVariable}");
        }

        var version = ProcessRunner.Run("dotnet", [dll, "--version"]);
        return version.Succeeded
            ? (dll, null)
            : (null, $"`{version.CommandLine}` exited {version.ExitCode}: {version.StandardError.Trim()}");
    }
}
