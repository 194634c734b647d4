using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>Parses the command line, answers --help and --version, maps shape errors to exit 2 and runs the command.</summary>
internal static class IsolateCli
{
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="environment">The streams, the kernel and how <c>guard</c> runs in this executable.</param>
    public static int Run(IReadOnlyList<string> args, CommandEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);

        // The collector probe as an agent cgroup is this executable re-executed (AgentCgroupProbe): an internal entry,
        // answered before parsing, in no help, man page or completion.
        if (args.Count > 0 && args[0] == AgentCgroupProbe.Entry)
        {
            return AgentCgroupProbe.RunChild(args, environment.Out);
        }

        AgentCgroupProbe.Command ??= ProbeCommand();
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, args);

        // Like any help: `isolate --help` prints help even though --collector is missing.
        if (line.HelpRequested)
        {
            int width = environment.HelpWidth;
            environment.Out.Write(line.Command is { } command
                ? HelpWriter.ForCommand(command, width)
                : HelpWriter.ForRoot(CliSyntax.Description, CliSyntax.Commands, HelpExamples.Root, width));
            return ExitCodes.Success;
        }

        if (line.Errors.Count > 0)
        {
            return ParseFailed(line, environment);
        }

        if (line.Command is not { } chosen)
        {
            environment.Out.WriteLine(CliVersion.Informational);
            return ExitCodes.Success;
        }

        return Guarded(line, chosen, environment);
    }

    /// <summary>How this program is started again: the executable, or under <c>dotnet</c> the host and the assembly.</summary>
    private static string[]? ProbeCommand()
    {
        if (Environment.ProcessPath is not { } executable)
        {
            return null;
        }

        string[] own = Environment.GetCommandLineArgs();
        return Path.GetFileName(executable) == "dotnet" && own.Length > 0 ? [executable, own[0]] : [executable];
    }

    /// <summary>All of them, on one line (cli.md): "--collector is required" alone would hide the typo that caused it.</summary>
    private static int ParseFailed(ParsedCommandLine line, CommandEnvironment environment)
    {
        string commandName = line.Command is { } command ? command.Name + " " : string.Empty;
        var output = new CommandOutput(line.Command?.Name ?? string.Empty, line.WantsJson, environment.Out, environment.Error);
        string message = $"{string.Join("; ", line.Errors)} (see '{CommandOutput.ProgramName} {commandName}--help')";
        output.Complain(message);
        output.Emit(
            new CliReport
            {
                Command = output.Command,
                Ok = false,
                Error = new CliErrorReport { Kind = StateNames.InvalidArgument, Message = message },
            });
        return ExitCodes.InvalidArguments;
    }

    /// <summary>
    /// A bug (not a kernel or input failure, which each command reports itself) still ends with one stderr line
    /// and exit 1 rather than a stack trace; -v adds the trace.
    /// </summary>
    private static int Guarded(ParsedCommandLine line, CliCommand command, CommandEnvironment environment)
    {
        try
        {
            return command.Run(line, environment);
        }
#pragma warning disable CA1031 // The last line of defence: every exception becomes one line and exit 1.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var output = new CommandOutput(command.Name, line.WantsJson, environment.Out, environment.Error);
            string message = $"internal error: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
            output.Complain(message);
            if (line.Verbose)
            {
                environment.Error.WriteLine(exception);
            }

            output.Emit(
                new CliReport
                {
                    Command = output.Command,
                    Ok = false,
                    Table = line.Value(CliOptions.Table) ?? IsolationPolicy.DefaultTableName,
                    Error = new CliErrorReport { Kind = StateNames.Internal, Message = message },
                });
            return ExitCodes.Failed;
        }
    }
}
