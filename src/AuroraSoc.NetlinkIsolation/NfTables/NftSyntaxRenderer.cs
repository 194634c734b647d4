using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Prints a decoded table in nft syntax, byte for byte as <c>nft list table</c> (nft 1.0.6) prints it for the
/// rules this project installs: it recognises nft's own compilation patterns (implicit nfproto/l4proto
/// dependencies, merged port loads, prefix loads) and turns them back into statements. Expression sequences it
/// does not recognise are printed as a comment naming the raw expressions, never dropped.
/// </summary>
public static partial class NftSyntaxRenderer
{
    /// <summary>
    /// The table as <c>nft list table</c> prints it. An owned table's first line names the owner's program as nft finds
    /// it (<paramref name="ownerProgramName"/>, see <see cref="NftTableOwner"/>); nft prints "(null)" when it finds none.
    /// </summary>
    public static string Render(NftTableSnapshot snapshot, string? ownerProgramName = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder();
        NftTableFlags flags = snapshot.Table.TableFlags;
        text.Append("table ").Append(FamilyName(snapshot.Table.Family)).Append(' ').Append(snapshot.Table.Name).Append(" {");
        if ((flags & NftTableFlags.Owner) != 0)
        {
            text.Append(" # progname ").Append(ownerProgramName ?? "(null)");
        }

        text.Append('\n');

        // nft 1.0.6 table_print_flags: "flags " then the names it knows (dormant, owner) joined by commas; bits it has no
        // name for, PERSIST among them, print nothing, so an orphaned PERSIST table shows "flags " alone. A blank line
        // then separates the flags from the first chain.
        string separator = string.Empty;
        if (flags != NftTableFlags.None)
        {
            text.Append("\tflags ");
            string comma = string.Empty;
            foreach ((NftTableFlags bit, string name) in (ReadOnlySpan<(NftTableFlags, string)>)[(NftTableFlags.Dormant, "dormant"), (NftTableFlags.Owner, "owner")])
            {
                if ((flags & bit) != 0)
                {
                    text.Append(comma).Append(name);
                    comma = ",";
                }
            }

            text.Append('\n');
            separator = "\n";
        }

        // nft 1.0.6 table_print: the comment follows the flags line; the flags line (not a comment alone) puts the
        // blank line before the first chain.
        AppendComment(text, "\t", snapshot.Table.Comment, "\n");
        AppendSets(text, snapshot.Sets, ref separator);
        for (int i = 0; i < snapshot.Chains.Count; i++)
        {
            NftChain chain = snapshot.Chains[i];
            text.Append(separator);
            separator = "\n";

            text.Append("\tchain ").Append(chain.Name).Append(" {\n");
            AppendComment(text, "\t\t", chain.Comment, "\n");
            if (chain.Hook is { } hook)
            {
                text.Append("\t\ttype ").Append(chain.Type ?? "filter")
                    .Append(" hook ").Append(HookName(hook.HookNumber))
                    .Append(" priority ").Append(PriorityName(hook.Priority))
                    .Append("; policy ").Append(chain.Policy == NfVerdict.Drop ? "drop" : "accept").Append(";\n");
            }

            foreach (NftRule rule in snapshot.RulesOf(chain.Name))
            {
                text.Append("\t\t").Append(RenderRule(rule, CgroupV2Directory.PathOf));
                AppendComment(text, " ", rule.Comment, string.Empty);
                text.Append('\n');
            }

            text.Append("\t}\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// <c>comment "TEXT"</c> as nft prints it: verbatim between double quotes (nft escapes nothing, which is why a
    /// reason may not contain a quote or a backslash).
    /// </summary>
    private static void AppendComment(StringBuilder text, string before, string? comment, string after)
    {
        if (comment is not null)
        {
            text.Append(before).Append("comment \"").Append(comment).Append('"').Append(after);
        }
    }

    /// <summary>The family as nft writes it: <c>inet</c>, <c>ip</c>, <c>ip6</c>, ….</summary>
    internal static string FamilyName(NfProtocolFamily family) => family switch
    {
        NfProtocolFamily.Inet => "inet",
        NfProtocolFamily.IPv4 => "ip",
        NfProtocolFamily.IPv6 => "ip6",
        NfProtocolFamily.Arp => "arp",
        NfProtocolFamily.Bridge => "bridge",
        NfProtocolFamily.NetDev => "netdev",
        _ => ((byte)family).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The hook as nft names it in a chain's <c>type ... hook NAME</c> line: <c>input</c>, <c>output</c>, ...</summary>
    public static string HookName(NfInetHook hook) => hook switch
    {
        NfInetHook.PreRouting => "prerouting",
        NfInetHook.LocalIn => "input",
        NfInetHook.Forward => "forward",
        NfInetHook.LocalOut => "output",
        NfInetHook.PostRouting => "postrouting",
        NfInetHook.Ingress => "ingress",
        _ => ((uint)hook).ToString(CultureInfo.InvariantCulture),
    };

    private static string PriorityName(int priority)
    {
        // nft names the standard priorities of filter-type chains (nft(8), "PRIORITY"): raw, mangle, filter, security.
        foreach ((int value, string name) in (ReadOnlySpan<(int, string)>)[(-300, "raw"), (-150, "mangle"), (-100, "dstnat"), (0, "filter"), (50, "security"), (100, "srcnat")])
        {
            if (priority == value)
            {
                return name;
            }
        }

        return priority.ToString(CultureInfo.InvariantCulture);
    }
}
