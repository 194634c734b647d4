namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The intent file's time (<c>isolatedAt</c>): UTC, RFC 3339 with the seconds' fraction to 100 ns and its trailing zeros
/// dropped (<c>2026-01-02T03:04:05.1234567Z</c>, <c>2026-01-02T03:04:05Z</c>) — what the format string
/// <c>yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'</c> writes and reads. By hand rather than through that string: the custom
/// date-time formatter and parser bring the time-zone machinery into the NativeAOT CLI for a UTC-only field.
/// </summary>
internal static class IntentTimestamp
{
    private const int FractionDigits = 7;

    public static string Format(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        int fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond);
        Span<char> text = stackalloc char[20 + 1 + FractionDigits];
        WriteDigits(text[..4], utc.Year);
        text[4] = '-';
        WriteDigits(text.Slice(5, 2), utc.Month);
        text[7] = '-';
        WriteDigits(text.Slice(8, 2), utc.Day);
        text[10] = 'T';
        WriteDigits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        WriteDigits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        WriteDigits(text.Slice(17, 2), utc.Second);
        int length = 19;
        if (fraction != 0)
        {
            text[length++] = '.';
            WriteDigits(text.Slice(length, FractionDigits), fraction);
            length += FractionDigits;
            while (text[length - 1] == '0')
            {
                length--;
            }
        }

        text[length++] = 'Z';
        return new string(text[..length]);
    }

    public static bool TryParse(string text, out DateTimeOffset time)
    {
        time = default;
        ReadOnlySpan<char> s = text;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z'
            || !TryReadDigits(s[..4], out int year) || !TryReadDigits(s.Slice(5, 2), out int month) || !TryReadDigits(s.Slice(8, 2), out int day)
            || !TryReadDigits(s.Slice(11, 2), out int hour) || !TryReadDigits(s.Slice(14, 2), out int minute) || !TryReadDigits(s.Slice(17, 2), out int second))
        {
            return false;
        }

        long fractionTicks = 0;
        ReadOnlySpan<char> fraction = s[19..^1];
        if (fraction.Length > 0)
        {
            if (fraction[0] != '.' || fraction.Length > 1 + FractionDigits || !TryReadDigits(fraction[1..], out int digits))
            {
                return false;
            }

            fractionTicks = digits;
            for (int i = fraction.Length - 1; i < FractionDigits; i++)
            {
                fractionTicks *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(fractionTicks);
        return true;
    }

    private static void WriteDigits(Span<char> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool TryReadDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
