using System.Globalization;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary><c>isolate</c>: 0 isolated, 1 failed (nothing changed, or rolled back), 2 invalid input (nothing changed).</summary>
internal static class IsolateCommand
{
    /// <summary>The longest --verify-timeout: past an hour an operator is waiting on a collector that is not there.</summary>
    private const double MaxVerifySeconds = 3600;

    public static CliCommand Syntax { get; } = new(
        "isolate",
        "Quarantine the namespace: install the isolation table (ruleset.md) in one nf_tables transaction. Idempotent; re-running with another policy swaps the table atomically. In strict mode, established connections the policy does not allow are cut.",
        [
            CliOptions.Collector, CliOptions.AllowPeer, CliOptions.AllowDns, CliOptions.DnsServer, CliOptions.AllowDhcp, CliOptions.Mode,
            CliOptions.KeepForwarding, CliOptions.NoReject, CliOptions.Reason, CliOptions.VerifyCollector, CliOptions.VerifyTimeout,
            CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Ephemeral, CliOptions.Json,
            CliOptions.AgentCgroup, CliOptions.AgentUser, CliOptions.AgentGroup,
            CliOptions.AllowPeersFrom,
            CliOptions.RecordBlocked,
        ],
        HelpExamples.Isolate,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("isolate", line.Has(CliOptions.Json), environment.Out, environment.Error);
        PolicyArguments? arguments = null;
        IsolateOptions options = IsolateOptions.Default;
        CommandTarget Validate()
        {
            CommandTarget target = CommandTarget.From(line);
            arguments = PolicyArguments.Parse(line);
            options = ParseOptions(line, arguments);
            return target;
        }

        return CommandRunner.Run<IsolateReport>(line, environment, output, Validate, (isolator, target, cliLogger) =>
        {
            // Names are resolved here, by the system resolver, before anything is recorded or committed; the addresses
            // go into the policy and, with the names, into the intent (restore needs no DNS).
            IReadOnlyDictionary<string, IReadOnlyList<string>> resolved = EndpointSpecification.ResolveNames(arguments!.Endpoints);
            IReadOnlyList<AgentIdentity> agents = arguments.ResolveAgents();
            IsolationPolicy policy = arguments.ToPolicy(resolved, agents);
            CliLogMessages.Policy(cliLogger, policy.Collectors.Count, policy.AllowedPeers.Count, policy.Dns, policy.DnsResolvers.Count, policy.AllowDhcp, policy.Mode, policy.BlockForwarding, policy.RejectTcp);
            var report = new IsolateReport { Command = output.Command, Table = target.Table, Netns = target.Netns, Resolved = resolved, Agent = agents, Peers = policy.PeerCount, Sets = policy.PeerSetSizes };
            IsolationResult result;
            try
            {
                // A guard serving the state directory owns the table: DurableIsolator hands the change to it.
                result = new DurableIsolator(isolator, target.Store, cliLogger).Isolate(policy, options, resolved);
            }
            catch (IsolationException exception) when (exception.Kind == IsolationErrorKind.CollectorUnreachable)
            {
                output.Emit(report.Failed(output.Failure(exception), exception));
                return ExitCodes.Failed;
            }

            output.Say($"isolated: table inet {result.TableName}, {result.RuleCount} rules in one transaction ({result.ElapsedMicroseconds} µs)");
            foreach ((string name, IReadOnlyList<string> addresses) in resolved)
            {
                output.Say($"resolved {name}: {string.Join(", ", addresses)}");
            }

            foreach (AgentIdentity agent in agents)
            {
                output.Say($"agent: {agent}");
            }

            foreach ((string set, int elements) in policy.PeerSetSizes)
            {
                output.Say($"set {set}: {elements} elements");
            }

            foreach (CollectorCheck check in result.Verified)
            {
                output.Say(check.Ok ? $"verified: {check.Endpoint} connected in {check.Milliseconds} ms" : $"verified: {check.Endpoint} {check.Error}");
            }

            if (policy.Mode == IsolationMode.Strict)
            {
                output.Say($"{result.SessionsCut.Destroyed} connections cut");
                if (result.SessionsCut.Warning is { } warning)
                {
                    output.Complain($"warning: {warning}");
                }
            }

            output.Emit(report.Succeeded(result));
            return ExitCodes.Success;
        });
    }

    /// <summary>
    /// <c>--verify-collector</c> and <c>--verify-timeout</c>; refused (exit 2) when no collector, name or address, has a
    /// port and a single address to connect to, or the timeout is not a number of seconds in (0, 3600].
    /// </summary>
    internal static IsolateOptions ParseOptions(ParsedCommandLine line, PolicyArguments arguments)
    {
        bool verify = line.Has(CliOptions.VerifyCollector);
        string timeoutText = line.Value(CliOptions.VerifyTimeout)!;
        if (line.Has(CliOptions.VerifyTimeout) && !verify)
        {
            throw new InvalidArgumentException("--verify-timeout", timeoutText, "bounds --verify-collector, which is not given");
        }

        // double.TryParse reads "NaN" whatever the styles, and NaN fails every comparison: hence IsFinite.
        if (!double.TryParse(timeoutText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds) || seconds <= 0 || seconds > MaxVerifySeconds)
        {
            throw new InvalidArgumentException("--verify-timeout", timeoutText, $"must be a number of seconds more than 0 and at most {MaxVerifySeconds}");
        }

        if (verify && !AnyConnectableCollector(arguments.Collectors))
        {
            throw new InvalidArgumentException("--verify-collector", null, "needs at least one --collector with a port and a single address or host name (ADDRESS:PORT or NAME:PORT) to connect to");
        }

        return new IsolateOptions { VerifyCollectors = verify, VerifyTimeout = TimeSpan.FromSeconds(seconds) };
    }

    /// <summary>A collector with a port and a single address or a host name: one to connect to.</summary>
    private static bool AnyConnectableCollector(IReadOnlyList<EndpointSpecification> collectors)
    {
        foreach (EndpointSpecification collector in collectors)
        {
            if (collector.Port is not null && (collector.IsHostName || !collector.Endpoint!.HasPrefix))
            {
                return true;
            }
        }

        return false;
    }
}
