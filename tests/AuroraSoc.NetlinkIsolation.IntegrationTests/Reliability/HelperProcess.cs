using System.Diagnostics;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>Starts this test assembly in <see cref="HelperMode"/> as a child process (optionally behind a wrapper such as setpriv or strace).</summary>
internal sealed class HelperProcess : IDisposable
{
    private readonly Process _process;
    private Task<string>? _rest;
    private readonly Task<string> _stderr;

    private HelperProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The dotnet host running the tests (absolute, so it works with an empty PATH).</summary>
    public static string Dotnet => DotnetHost.Path;

    public static string Assembly { get; } = typeof(HelperMode).Assembly.Location;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>[wrapper…] dotnet ASSEMBLY args…</c> with the helper variable set.</summary>
    public static HelperProcess Start(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null, IDictionary<string, string>? environment = null)
    {
        string[] command = [.. wrapper ?? [], Dotnet, Assembly, .. args];
        ProcessStartInfo info = ProcessRunner.CreateStartInfo(command[0], command[1..]);
        info.Environment[HelperMode.Variable] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        process.Start();
        return new HelperProcess(process);
    }

    /// <summary>Runs a helper to completion (bounded) and returns its result.</summary>
    public static ProcessResult Run(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using HelperProcess helper = Start(args, wrapper, environment);
        helper._process.StandardInput.Close();
        return helper.WaitForExit(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Reads stdout lines until one equals <paramref name="line"/> (bounded); false if the process ended first.</summary>
    public bool WaitForLine(string line, TimeSpan timeout)
    {
        Task<bool> reading = Task.Run(() =>
        {
            while (_process.StandardOutput.ReadLine() is { } read)
            {
                if (read == line)
                {
                    return true;
                }
            }

            return false;
        });
        return reading.Wait(timeout) && reading.Result;
    }

    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public ProcessResult WaitForExit(TimeSpan timeout)
    {
        _rest ??= _process.StandardOutput.ReadToEndAsync();
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"helper {string.Join(' ', _process.StartInfo.ArgumentList)} did not finish within {timeout.TotalSeconds} s");
        }

        Task.WaitAll([_rest, _stderr], TimeSpan.FromSeconds(10));
        return new ProcessResult(_process.ExitCode, _rest.Result, _stderr.Result) { CommandLine = _process.StartInfo.FileName + " " + string.Join(' ', _process.StartInfo.ArgumentList) };
    }

    /// <summary>SIGKILL (Process.Kill sends SIGKILL on Linux) and reap.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}

/// <summary>Tests that count this process's descriptors and threads, or load the machine: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySerialGroup
{
    public const string Name = "Reliability (serial)";
}

/// <summary>Shared expectations of the live reliability tests.</summary>
internal static class Listings
{
    public static string ContractExample { get; } = Read("contract-example.listing.txt");

    public static string StrictDnsAny { get; } = Read("strict-dns-any.listing.txt");

    private static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.TestVectors, name), Encoding.UTF8);
}
