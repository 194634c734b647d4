using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// aurorasoc-isolate(8) in man(7) markup, written from the same tables as <c>--help</c>: every command of
/// <see cref="CliSyntax.Commands"/> with every option it accepts, its examples and exit codes, the exit status list of
/// the root help and the files the program uses. The package build writes it (src/packaging), so an option added to the
/// table is in the manual without anyone editing the manual. Nothing here runs in the CLI: the NativeAOT trimmer drops it.
/// </summary>
internal static class ManPageWriter
{
    /// <summary>The files and environment the program reads or writes, for FILES and ENVIRONMENT.</summary>
    private static readonly (string Name, string Description)[] Files =
    [
        (IntentStore.SystemDirectory, "The state directory: one JSON intent file per (target, table), mode 0600 in a 0700 directory, written atomically. Used when neither --state-dir nor $" + IntentStore.DirectoryEnvironmentVariable + " names another."),
        (IntentStore.SystemDirectory + "/lock", "Serialises isolate, unisolate, restore and the guard on one state directory."),
        (IntentStore.SystemDirectory + "/guard.sock", "The guard's hand-over socket (root only): while a guard serves the directory, isolate, unisolate and restore hand their change to it."),
        ("/usr/lib/systemd/system/aurorasoc-isolate-guard.service", "The guard's systemd unit: starts before network-pre.target and keeps every recorded isolation in force; systemctl reload re-reads the state directory."),
    ];

    private static readonly (string Name, string Description)[] Environment =
    [
        (IntentStore.DirectoryEnvironmentVariable, "The state directory when --state-dir is not given."),
        ("NOTIFY_SOCKET", "Set by systemd for the guard: READY=1, STATUS= and STOPPING=1 go there (sd_notify(3))."),
        ("JOURNAL_STREAM, INVOCATION_ID", "Set by systemd: the guard then logs without timestamps, each line with its syslog priority as <N> (sd-daemon(3))."),
    ];

    /// <param name="version">The upstream version for the page footer, e.g. 0.2.0.</param>
    public static string Write(string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        string program = CommandOutput.ProgramName;
        var page = new StringBuilder();
        page.Append(".TH ").Append(program.ToUpperInvariant().Replace("-", "\\-", StringComparison.Ordinal))
            .Append(" 8 \"\" \"").Append(Escape(program)).Append(' ').Append(Escape(version)).Append("\" \"System Administration\"\n");
        page.Append(".SH NAME\n").Append(Escape(program)).Append(" \\- quarantine a Linux host or network namespace with nf_tables\n");

        page.Append(".SH SYNOPSIS\n");
        foreach (CliCommand command in CliSyntax.Commands)
        {
            page.Append(".SY ").Append(Escape(program)).Append('\n').Append(".B ").Append(Escape(command.Name)).Append('\n');
            foreach (CliOption option in command.Options)
            {
                // Plain text inside the .SY block: brackets mark what is optional, "..." what repeats.
                page.Append(option.Required ? string.Empty : "[").Append(Option(option.Name));
                if (option.ValueName is { } value)
                {
                    page.Append("\\ \\fI").Append(Escape(value)).Append("\\fR");
                }

                page.Append(option.Required ? string.Empty : "]").Append(option.Values == OptionValues.Repeated ? " ...\n" : "\n");
            }

            page.Append(".YS\n");
        }

        page.Append(".SY ").Append(Escape(program)).Append("\n{").Append(Option(CliOptions.Help.Name)).Append(" | ")
            .Append(Option(CliOptions.Version.Name)).Append("}\n.YS\n");

        page.Append(".SH DESCRIPTION\n").Append(Escape(CliSyntax.Description)).Append('\n');
        page.Append(".PP\nNeeds root or CAP_NET_ADMIN in the target namespace (and CAP_SYS_ADMIN to enter one with ")
            .Append(Option(CliOptions.Netns.Name)).Append(").\n");

        page.Append(".SH COMMANDS\n");
        foreach (CliCommand command in CliSyntax.Commands)
        {
            page.Append(".SS ").Append(Escape(command.Name)).Append('\n').Append(Escape(command.Description)).Append('\n');
            foreach (CliOption option in command.Options)
            {
                AppendOption(page, option);
            }

            AppendVerbatim(page, command.Examples);
        }

        page.Append(".SH OPTIONS\nAccepted by every command, and before the command name:\n");
        AppendOption(page, CliOptions.Verbose);
        AppendOption(page, CliOptions.Help);
        page.Append("Only on its own, without a command:\n");
        AppendOption(page, CliOptions.Version);

        page.Append(".SH EXIT STATUS\n");
        foreach ((string code, string meaning) in ExitStatus())
        {
            page.Append(".TP\n.B ").Append(code).Append('\n').Append(Escape(meaning)).Append('\n');
        }

        AppendDefinitions(page, "ENVIRONMENT", Environment);
        AppendDefinitions(page, "FILES", Files);
        page.Append(".SH SEE ALSO\n.BR nft (8),\n.BR systemd.service (5),\n.BR systemctl (1),\n.BR journalctl (1)\n");
        return page.ToString();
    }

    /// <summary>
    /// The lines <c>  N  meaning</c> under "Exit codes:" in the root help (<see cref="HelpExamples.Root"/>): the one
    /// list of exit codes people read, so the manual says what <c>--help</c> says.
    /// </summary>
    internal static List<(string Code, string Meaning)> ExitStatus()
    {
        var codes = new List<(string Code, string Meaning)>();
        bool inList = false;
        foreach (string line in HelpExamples.Root.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed == "Exit codes:")
            {
                inList = true;
            }
            else if (inList && trimmed.Length > 2 && char.IsAsciiDigit(trimmed[0]) && trimmed[1] == ' ')
            {
                codes.Add((trimmed[..1], trimmed[1..].Trim()));
            }
            else if (inList && codes.Count > 0)
            {
                break;
            }
        }

        return codes;
    }

    private static void AppendOption(StringBuilder page, CliOption option)
    {
        page.Append(".TP\n.B ");
        string[] spellings = [.. option.Aliases, option.Name];
        for (int i = 0; i < spellings.Length; i++)
        {
            page.Append(i == 0 ? string.Empty : ", ").Append(Option(spellings[i]));
        }

        if (option.ValueName is { } value)
        {
            page.Append(" \\fI").Append(Escape(value)).Append("\\fR");
        }

        page.Append('\n').Append(Escape(option.Description));
        if (option.DefaultValue is { } defaultValue)
        {
            page.Append(" Default: ").Append(Escape(defaultValue)).Append('.');
        }

        page.Append('\n');
    }

    private static void AppendDefinitions(StringBuilder page, string title, (string Name, string Description)[] definitions)
    {
        page.Append(".SH ").Append(title).Append('\n');
        foreach ((string name, string description) in definitions)
        {
            page.Append(".TP\n.I ").Append(Escape(name)).Append('\n').Append(Escape(description)).Append('\n');
        }
    }

    /// <summary>Help text laid out by hand (examples, exit codes): kept as is, in a no-fill block.</summary>
    private static void AppendVerbatim(StringBuilder page, string text)
    {
        page.Append(".PP\n.nf\n");
        foreach (string line in text.TrimEnd().Split('\n'))
        {
            page.Append(line.Length == 0 ? ".sp" : Escape(line)).Append('\n');
        }

        page.Append(".fi\n");
    }

    private static string Option(string name) => "\\fB" + name.Replace("-", "\\-", StringComparison.Ordinal) + "\\fR";

    /// <summary>
    /// Text safe in man(7): backslashes written as <c>\e</c>, a line never starting with a control character
    /// (<c>.</c> or <c>'</c>, guarded by <c>\&amp;</c>), hyphen-minus written as <c>\-</c> so options copy and paste, and anything beyond ASCII as <c>\[uXXXX]</c> so
    /// groff needs no input encoding.
    /// </summary>
    internal static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\\' => escaped.Append("\\e"),
                '-' => escaped.Append("\\-"),
                '\n' => escaped.Append('\n'),
                > '\u007f' => escaped.Append(CultureInfo.InvariantCulture, $"\\[u{(int)c:X4}]"),
                _ => escaped.Append(c),
            };
        }

        string result = escaped.ToString();
        return result.Length > 0 && (result[0] == '.' || result[0] == '\'') ? "\\&" + result : result;
    }
}
