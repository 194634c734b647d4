using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// The links of a Markdown file as GitHub renders them: inline links and images (<c>[text](target)</c>,
/// <c>![alt](target)</c>) and reference definitions (<c>[name]: target</c>), outside fenced code and code spans; and
/// the anchors GitHub gives its headings. Relative targets are resolved against the file's folder, inside the
/// repository only.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>
    /// What is wrong with the relative links of <paramref name="markdown"/>, the file at <paramref name="path"/>
    /// (repository-relative, '/'-separated): one line per link that leaves the repository, names no existing file or
    /// folder, or names an anchor that is no heading of its Markdown file. Absolute URLs are not followed.
    /// </summary>
    /// <param name="path">The Markdown file's repository-relative path.</param>
    /// <param name="markdown">Its text.</param>
    /// <param name="readFile">A repository-relative path's text, or null when no such file exists.</param>
    /// <param name="isDirectory">Whether a repository-relative path is an existing folder.</param>
    public static List<string> FindBroken(string path, string markdown, Func<string, string?> readFile, Func<string, bool> isDirectory)
    {
        var broken = new List<string>();
        foreach ((int line, string target) in Targets(markdown))
        {
            string where = $"{path}:{line}: ({target})";
            if (IsAbsoluteUrl(target))
            {
                continue;
            }

            int hash = target.IndexOf('#', StringComparison.Ordinal);
            string filePart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            string? anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
            int query = filePart.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                filePart = filePart[..query];
            }

            string? resolved = filePart.Length == 0 ? path : Resolve(path, filePart);
            if (resolved is null)
            {
                broken.Add($"{where} points outside the repository");
                continue;
            }

            string? text = filePart.Length == 0 ? markdown : readFile(resolved);
            if (text is null)
            {
                if (!isDirectory(resolved))
                {
                    broken.Add($"{where} names {resolved}, which does not exist");
                }

                continue;
            }

            if (anchor is not null && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(text).Contains(anchor))
            {
                broken.Add($"{where} names anchor #{anchor}, which is no heading of {resolved}");
            }
        }

        return broken;
    }

    /// <summary>
    /// Every link and image target, with the 1-based line it starts on, outside fenced code blocks and code spans. A
    /// link's text may wrap onto the next line, not across a blank one.
    /// </summary>
    public static IEnumerable<(int Line, string Target)> Targets(string markdown)
    {
        string[] lines = SplitLines(markdown);
        bool[] fenced = FencedLines(lines);
        var prose = new StringBuilder(markdown.Length);
        var targets = new List<(int Line, string Target)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string text = fenced[i] ? string.Empty : CodeSpan().Replace(lines[i], static m => new string(' ', m.Length));
            Match definition = ReferenceDefinition().Match(text);
            if (definition.Success)
            {
                targets.Add((i + 1, Unbracket(definition.Groups["target"].Value)));
                text = string.Empty;
            }

            prose.Append(text).Append('\n');
        }

        string all = prose.ToString();
        foreach (Match link in InlineLink().Matches(all))
        {
            int line = 1;
            for (int c = 0; c < link.Index; c++)
            {
                line += all[c] == '\n' ? 1 : 0;
            }

            targets.Add((line, Unbracket(link.Groups["target"].Value)));
        }

        targets.Sort(static (a, b) => a.Line.CompareTo(b.Line));
        return targets;
    }

    /// <summary>
    /// The anchors of every heading (ATX <c># Title</c> and setext, outside fenced code) by GitHub's rules, a repeated
    /// heading's anchor suffixed <c>-1</c>, <c>-2</c>, …; and the <c>id</c>/<c>name</c> of HTML anchors.
    /// </summary>
    public static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lines = SplitLines(markdown);
        bool[] fenced = FencedLines(lines);
        for (int i = 0; i < lines.Length; i++)
        {
            if (fenced[i])
            {
                continue;
            }

            foreach (Match html in HtmlAnchor().Matches(lines[i]))
            {
                anchors.Add(html.Groups["id"].Value);
            }

            string? heading = null;
            Match atx = AtxHeading().Match(lines[i]);
            if (atx.Success)
            {
                heading = atx.Groups["text"].Value;
            }
            else if (i + 1 < lines.Length && !fenced[i + 1] && SetextUnderline().IsMatch(lines[i + 1]) && IsParagraphLine(lines[i]))
            {
                heading = lines[i].Trim();
            }

            if (heading is null)
            {
                continue;
            }

            string slug = Slug(heading);
            int count = seen.TryGetValue(slug, out int earlier) ? earlier + 1 : 0;
            seen[slug] = count;
            anchors.Add(count == 0 ? slug : $"{slug}-{count.ToString(CultureInfo.InvariantCulture)}");
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading: its text as rendered (code, emphasis and link markup dropped), lower case, every
    /// character but letters, digits, marks, <c>_</c>, <c>-</c> and spaces removed, each space a <c>-</c>.
    /// </summary>
    public static string Slug(string heading)
    {
        string text = MarkdownLinkMarkup().Replace(heading, "${text}");
        text = HtmlTag().Replace(text, string.Empty);
        var slug = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant())
        {
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (c is ' ' or '-' or '_' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                slug.Append(c == ' ' ? '-' : c);
            }
        }

        return slug.ToString();
    }

    /// <summary>
    /// <paramref name="relative"/> (a link in the file at <paramref name="from"/>) as a repository-relative path; null
    /// when it climbs above the repository or is rooted.
    /// </summary>
    private static string? Resolve(string from, string relative)
    {
        if (relative.StartsWith('/'))
        {
            return null;
        }

        var parts = new List<string>(from.Split('/')[..^1]);
        foreach (string part in relative.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static bool IsAbsoluteUrl(string target) => UrlScheme().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal);

    private static string Unbracket(string target) => target.Length > 1 && target[0] == '<' && target[^1] == '>' ? target[1..^1] : target;

    private static bool IsParagraphLine(string line)
        => line.Trim().Length > 0 && !AtxHeading().IsMatch(line) && !SetextUnderline().IsMatch(line) && !ListOrQuote().IsMatch(line);

    private static string[] SplitLines(string markdown) => markdown.ReplaceLineEndings("\n").Split('\n');

    /// <summary>True for each line inside a fenced code block (the fences included): <c>```</c> or <c>~~~</c>, up to 3 spaces in.</summary>
    private static bool[] FencedLines(string[] lines)
    {
        bool[] fenced = new bool[lines.Length];
        string? fence = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = Fence().Match(lines[i]);
            if (fence is null)
            {
                if (open.Success)
                {
                    fence = open.Groups["fence"].Value;
                    fenced[i] = true;
                }

                continue;
            }

            fenced[i] = true;
            if (open.Success && open.Groups["fence"].Value[0] == fence[0] && open.Groups["fence"].Value.Length >= fence.Length && open.Groups["info"].Value.Trim().Length == 0)
            {
                fence = null;
            }
        }

        return fenced;
    }

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*\]\(\s*(?<target><[^>]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:""[^""]*""|'[^']*'|\([^)]*\)))?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*(?<target><[^>]*>|\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^ {0,3}#{1,6}(?:[ \t]+(?<text>.*?))?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^ {0,3}(?:=+|-+)[ \t]*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^ {0,3}(?:[-*+>]|\d+[.)])(?:\s|$)")]
    private static partial Regex ListOrQuote();

    [GeneratedRegex(@"<a\s[^>]*\b(?:id|name)\s*=\s*""(?<id>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLinkMarkup();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UrlScheme();
}
