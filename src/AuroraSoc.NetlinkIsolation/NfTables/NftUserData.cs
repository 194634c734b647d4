using System.Text;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// The user data nft keeps on tables, chains and rules (NFTA_*_USERDATA): a list of libnftnl <c>nftnl_udata</c>
/// TLVs — one byte type, one byte length, the value. The kernel stores it without looking at it; nft puts the
/// <c>comment</c> there as type 0 (NFTNL_UDATA_TABLE_COMMENT, _CHAIN_COMMENT and _RULE_COMMENT are all 0),
/// a NUL-terminated string (libnftnl udata.h, nftnl_udata_put_strz).
/// </summary>
internal static class NftUserData
{
    /// <summary>The TLV type of a comment, the same for tables, chains and rules.</summary>
    public const byte CommentType = 0;

    /// <summary>A TLV value is at most 255 bytes (its length is one byte); a comment needs one for its NUL.</summary>
    public const int MaxCommentBytes = byte.MaxValue - 1;

    /// <summary>The user data nft writes for <c>comment "TEXT"</c>: one TLV, the UTF-8 text and its NUL.</summary>
    /// <exception cref="ArgumentException">The text contains NUL or is longer than <see cref="MaxCommentBytes"/> bytes.</exception>
    public static byte[] EncodeComment(string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        if (comment.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a comment cannot contain NUL: it is stored NUL-terminated", nameof(comment));
        }

        int length = Encoding.UTF8.GetByteCount(comment);
        if (length > MaxCommentBytes)
        {
            throw new ArgumentException($"a comment of {length} bytes does not fit one user-data TLV (at most {MaxCommentBytes})", nameof(comment));
        }

        byte[] data = new byte[2 + length + 1];
        data[0] = CommentType;
        data[1] = (byte)(length + 1);
        Encoding.UTF8.GetBytes(comment, data.AsSpan(2));
        return data;
    }

    /// <summary>
    /// The comment in <paramref name="userData"/>, or null when there is none. Like nft (table_parse_udata_cb), a
    /// comment that is not NUL-terminated or not UTF-8, or a TLV list that runs past its end, is not a comment.
    /// </summary>
    public static string? DecodeComment(ReadOnlySpan<byte> userData)
    {
        while (userData.Length >= 2)
        {
            byte type = userData[0];
            int length = userData[1];
            if (2 + length > userData.Length)
            {
                return null;
            }

            ReadOnlySpan<byte> value = userData.Slice(2, length);
            if (type == CommentType)
            {
                if (length == 0 || value[^1] != 0 || value[..^1].Contains((byte)0))
                {
                    return null;
                }

                try
                {
                    return StrictUtf8.GetString(value[..^1]);
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }

            userData = userData[(2 + length)..];
        }

        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
