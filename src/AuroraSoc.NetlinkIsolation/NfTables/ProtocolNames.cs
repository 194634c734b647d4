using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// IP protocol numbers by name as nft prints an inet_proto value: the name getprotobynumber(3) gives, i.e. the first
/// name of the number's line in /etc/protocols, else the number. Read once; the common four are known without it.
/// </summary>
internal static class ProtocolNames
{
    private const string ProtocolsFile = "/etc/protocols";

    private static readonly Lazy<Dictionary<byte, string>> Table = new(Load);

    public static string Of(byte protocol)
        => Table.Value.TryGetValue(protocol, out string? name) ? name : protocol.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of a protocol name (<c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>ipv6-icmp</c> …), or null.</summary>
    public static byte? Parse(string name)
    {
        foreach (KeyValuePair<byte, string> entry in Table.Value)
        {
            if (string.Equals(entry.Value, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Key;
            }
        }

        return byte.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out byte number) ? number : null;
    }

    private static Dictionary<byte, string> Load()
    {
        var names = new Dictionary<byte, string> { [1] = "icmp", [6] = "tcp", [17] = "udp", [58] = "ipv6-icmp" };
        try
        {
            foreach (string line in File.ReadLines(ProtocolsFile))
            {
                // "name number aliases... # comment"
                string[] fields = line.Split('#', 2)[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && byte.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out byte number))
                {
                    names.TryAdd(number, fields[0]);
                }
            }
        }
        catch (IOException)
        {
            // No /etc/protocols: numbers then, except for the four common names known above.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names;
    }
}
