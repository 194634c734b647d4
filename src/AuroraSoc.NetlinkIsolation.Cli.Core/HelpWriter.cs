using System.Text;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// Renders help from the commands' tables: description, usage, an aligned two-column list of options (or commands),
/// then the examples and exit codes. On a terminal the second column wraps to its width, indented under itself.
/// </summary>
internal static class HelpWriter
{
    private const string Indent = "  ";
    private const string ColumnGap = "  ";

    public static string ForRoot(string description, IReadOnlyList<CliCommand> commands, string examples, int width)
    {
        var help = new StringBuilder();
        AppendHeader(help, description, $"{CommandOutput.ProgramName} [command] [options]", width);
        AppendRows(help, "Options:", [OptionRow(CliOptions.Verbose), OptionRow(CliOptions.Help), OptionRow(CliOptions.Version)], width);
        (string Left, string Right)[] commandRows = new (string Left, string Right)[commands.Count];
        for (int i = 0; i < commandRows.Length; i++)
        {
            commandRows[i] = (commands[i].Name, commands[i].Description);
        }

        AppendRows(help, "Commands:", commandRows, width);
        return help.Append(examples).ToString();
    }

    public static string ForCommand(CliCommand command, int width)
    {
        var help = new StringBuilder();
        AppendHeader(help, command.Description, $"{CommandOutput.ProgramName} {command.Name} [options]", width);
        (string Left, string Right)[] rows = new (string Left, string Right)[command.Options.Count + 2];
        for (int i = 0; i < command.Options.Count; i++)
        {
            rows[i] = OptionRow(command.Options[i]);
        }

        rows[^2] = OptionRow(CliOptions.Help);
        rows[^1] = OptionRow(CliOptions.Verbose);
        AppendRows(help, "Options:", rows, width);
        return help.Append(command.Examples).ToString();
    }

    private static void AppendHeader(StringBuilder help, string description, string usage, int width)
    {
        help.Append("Description:\n").Append(Indent);
        AppendWrapped(help, description, Indent.Length, width);
        help.Append("\nUsage:\n").Append(Indent).Append(usage).Append("\n\n");
    }

    /// <summary><c>-?, -h, --help</c>; <c>--collector &lt;ENDPOINT&gt; (REQUIRED)</c>; the default after the text.</summary>
    private static (string Left, string Right) OptionRow(CliOption option)
    {
        string[] spellings = [.. option.Aliases, option.Name];
        string names = string.Join(", ", spellings);
        string left = option.ValueName is null ? names : $"{names} <{option.ValueName}>";
        string right = option.DefaultValue is null ? option.Description : $"{option.Description} [default: {option.DefaultValue}]";
        return (option.Required ? left + " (REQUIRED)" : left, right);
    }

    private static void AppendRows(StringBuilder help, string title, (string Left, string Right)[] rows, int width)
    {
        help.Append(title).Append('\n');
        int leftWidth = 0;
        foreach ((string left, _) in rows)
        {
            leftWidth = Math.Max(leftWidth, left.Length);
        }

        int textColumn = Indent.Length + leftWidth + ColumnGap.Length;
        foreach ((string left, string right) in rows)
        {
            help.Append(Indent).Append(left.PadRight(leftWidth)).Append(ColumnGap);
            AppendWrapped(help, right, textColumn, width);
        }

        help.Append('\n');
    }

    /// <summary>Breaks at spaces so no line passes <paramref name="width"/>; a word longer than the room stays whole.</summary>
    private static void AppendWrapped(StringBuilder help, string text, int column, int width)
    {
        int room = Math.Max(width - column, 20);
        int lineLength = 0;
        foreach (string word in text.Split(' '))
        {
            if (lineLength > 0 && lineLength + 1 + word.Length > room)
            {
                help.Append('\n').Append(' ', column);
                lineLength = 0;
            }
            else if (lineLength > 0)
            {
                help.Append(' ');
                lineLength++;
            }

            help.Append(word);
            lineLength += word.Length;
        }

        help.Append('\n');
    }
}
