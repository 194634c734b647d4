using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Tests.Golden;

/// <summary>Hex dumps, 16 bytes a row, for readable golden-vector failures.</summary>
public static class HexDump
{
    /// <summary>Bytes shown per row.</summary>
    public const int BytesPerRow = 16;

    // "- 0010  " : mark, space, 4-digit offset, two spaces.
    private const int PrefixWidth = 8;

    /// <summary>A plain dump: <c>offset  hex bytes  |ascii|</c>, one row per 16 bytes.</summary>
    public static string Format(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder();
        for (var offset = 0; offset < data.Length; offset += BytesPerRow)
        {
            AppendRow(sb, ' ', offset, data);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Compares two buffers row by row. Equal rows are printed once (prefix two spaces); a row that
    /// differs is printed as a <c>-</c> row (expected) and a <c>+</c> row (actual) followed by a line of
    /// <c>^^</c> under each differing or missing byte. The first line summarises lengths and differences.
    /// </summary>
    public static string Diff(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var length = Math.Max(expected.Length, actual.Length);
        var differing = 0;
        var first = -1;
        for (var i = 0; i < length; i++)
        {
            if (Differs(expected, actual, i))
            {
                differing++;
                if (first < 0)
                {
                    first = i;
                }
            }
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"expected {expected.Length} bytes, actual {actual.Length} bytes; ");
        sb.Append(differing == 0
            ? "identical"
            : string.Create(CultureInfo.InvariantCulture, $"{differing} byte(s) differ, first at offset 0x{first:x4} ({first})"));
        sb.Append(differing == 0 ? "\n" : "; rows: '-' expected, '+' actual, '^^' differing byte\n");

        for (var offset = 0; offset < length; offset += BytesPerRow)
        {
            var rowDiffers = false;
            for (var i = offset; i < Math.Min(offset + BytesPerRow, length); i++)
            {
                rowDiffers |= Differs(expected, actual, i);
            }

            if (!rowDiffers)
            {
                AppendRow(sb, ' ', offset, expected);
                continue;
            }

            AppendRow(sb, '-', offset, expected);
            AppendRow(sb, '+', offset, actual);
            var carets = new StringBuilder().Append(' ', PrefixWidth);
            for (var j = 0; j < BytesPerRow && offset + j < length; j++)
            {
                if (j == BytesPerRow / 2)
                {
                    carets.Append(' ');
                }

                carets.Append(Differs(expected, actual, offset + j) ? "^^ " : "   ");
            }

            sb.Append(carets.ToString().TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    private static bool Differs(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int index) =>
        index >= expected.Length || index >= actual.Length || expected[index] != actual[index];

    private static void AppendRow(StringBuilder sb, char mark, int offset, ReadOnlySpan<byte> data)
    {
        sb.Append(mark).Append(' ').Append(offset.ToString("x4", CultureInfo.InvariantCulture)).Append("  ");
        var ascii = new StringBuilder(BytesPerRow);
        for (var j = 0; j < BytesPerRow; j++)
        {
            if (j == BytesPerRow / 2)
            {
                sb.Append(' ');
            }

            var index = offset + j;
            if (index < data.Length)
            {
                var b = data[index];
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture)).Append(' ');
                ascii.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }
            else
            {
                sb.Append("   ");
            }
        }

        sb.Append(" |").Append(ascii.ToString().PadRight(BytesPerRow)).Append("|\n");
    }
}
