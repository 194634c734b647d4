using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Why a namespace is isolated (a ticket, an incident): free text stored on the table itself as its nft comment, so
/// <c>nft list table</c> shows it on any host. The rules are those of docs/ruleset.md, "Reason (`--reason`)".
/// </summary>
internal static class IsolationReason
{
    /// <summary>
    /// The most UTF-8 bytes a reason may have: nft 1.0.6 refuses longer comments ("comment too long, 128 characters
    /// maximum allowed", NFTNL_UDATA_COMMENT_MAXLEN), so nft could not write back what it lists.
    /// </summary>
    public const int MaxBytes = 128;

    /// <summary>
    /// Throws <see cref="PolicyValidationException"/> unless <paramref name="reason"/> is 1 to <see cref="MaxBytes"/>
    /// bytes of printable UTF-8 without <c>"</c>, <c>\</c> or control characters. nft prints a comment verbatim between
    /// double quotes and escapes nothing, so a quote or backslash would make its listing unreadable by nft itself;
    /// control and format characters (line breaks, bidirectional overrides) would let a reason disguise the listing.
    /// </summary>
    public static void Validate(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (reason.Length == 0)
        {
            throw new PolicyValidationException("reason", reason, "is empty; give a ticket or incident, or leave the reason out");
        }

        for (int i = 0; i < reason.Length; i++)
        {
            char c = reason[i];
            if (c is '"' or '\\')
            {
                throw new PolicyValidationException("reason", reason, $"contains {c}, which nft cannot print inside a comment");
            }

            if (char.IsSurrogatePair(reason, i))
            {
                RefuseUnprintable(reason, CharUnicodeInfo.GetUnicodeCategory(reason, i), char.ConvertToUtf32(reason, i));
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new PolicyValidationException("reason", reason, $"is not valid UTF-8 (a lone surrogate U+{(int)c:X4} at position {i})");
            }

            RefuseUnprintable(reason, CharUnicodeInfo.GetUnicodeCategory(c), c);
        }

        int bytes = Encoding.UTF8.GetByteCount(reason);
        if (bytes > MaxBytes)
        {
            throw new PolicyValidationException("reason", reason, $"is {bytes} bytes of UTF-8; at most {MaxBytes} fit the table's comment");
        }
    }

    private static void RefuseUnprintable(string reason, UnicodeCategory category, int codePoint)
    {
        switch (category)
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
                throw new PolicyValidationException("reason", reason, $"contains U+{codePoint:X4}, which is not printable ({category}); use printable text only");
        }
    }
}
