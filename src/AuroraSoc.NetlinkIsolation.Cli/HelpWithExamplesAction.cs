using System.CommandLine;
using System.CommandLine.Invocation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>The standard help, followed by examples and exit codes for the command asked about.</summary>
internal sealed class HelpWithExamplesAction(SynchronousCommandLineAction standardHelp, IReadOnlyDictionary<Command, string> epilogues)
    : SynchronousCommandLineAction
{
    // Like the standard help: `isolate --help` must print help even though --collector is missing.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int exitCode = standardHelp.Invoke(parseResult);
        if (epilogues.TryGetValue(parseResult.CommandResult.Command, out string? epilogue))
        {
            parseResult.InvocationConfiguration.Output.Write(epilogue);
        }

        return exitCode;
    }
}
