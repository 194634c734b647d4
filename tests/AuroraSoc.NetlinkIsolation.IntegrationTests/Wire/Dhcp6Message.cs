using System.Buffers.Binary;
using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>A DHCPv6 message (RFC 8415 §8): msg-type, 3-byte transaction id, options (16-bit code and length).</summary>
internal sealed record Dhcp6Message(byte Type, int TransactionId, IReadOnlyList<KeyValuePair<ushort, byte[]>> Options)
{
    public const byte Solicit = 1;
    public const byte Advertise = 2;
    public const byte Request = 3;
    public const byte Reply = 7;

    public const ushort OptionClientId = 1;
    public const ushort OptionServerId = 2;
    public const ushort OptionIaNa = 3;
    public const ushort OptionIaAddress = 5;
    public const ushort OptionElapsedTime = 8;

    public byte[]? Option(ushort code) => Options.FirstOrDefault(o => o.Key == code).Value;

    /// <summary>DUID-LL (type 3, hardware type 1) for a MAC address.</summary>
    public static byte[] LinkLayerDuid(byte[] hardwareAddress) => [0, 3, 0, 1, .. hardwareAddress];

    /// <summary>IA_NA with IAID 1, T1/T2 0, and optionally one IA Address option.</summary>
    public static byte[] IdentityAssociation(IPAddress? address)
    {
        byte[] head = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        if (address is null)
        {
            return head;
        }

        byte[] lifetimes = [0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20];
        return [.. head, 0, (byte)OptionIaAddress, 0, 24, .. address.GetAddressBytes(), .. lifetimes];
    }

    /// <summary>The address in an IA_NA's first IA Address option, if any.</summary>
    public static IPAddress? LeasedAddress(byte[]? identityAssociation) =>
        identityAssociation is { Length: >= 12 + 4 + 16 }
        && BinaryPrimitives.ReadUInt16BigEndian(identityAssociation.AsSpan(12)) == OptionIaAddress
            ? new IPAddress(identityAssociation.AsSpan(16, 16))
            : null;

    public byte[] Encode()
    {
        var packet = new byte[4 + Options.Sum(o => 4 + o.Value.Length)];
        packet[0] = Type;
        packet[1] = (byte)(TransactionId >> 16);
        packet[2] = (byte)(TransactionId >> 8);
        packet[3] = (byte)TransactionId;
        var offset = 4;
        foreach (var (code, value) in Options)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), code);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), checked((ushort)value.Length));
            value.CopyTo(packet, offset + 4);
            offset += 4 + value.Length;
        }

        return packet;
    }

    public static Dhcp6Message? TryDecode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 4)
        {
            return null;
        }

        var options = new List<KeyValuePair<ushort, byte[]>>();
        var offset = 4;
        while (offset + 4 <= packet.Length)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (offset + 4 + length > packet.Length)
            {
                return null;
            }

            options.Add(new(code, packet.Slice(offset + 4, length).ToArray()));
            offset += 4 + length;
        }

        return offset == packet.Length
            ? new Dhcp6Message(packet[0], (packet[1] << 16) | (packet[2] << 8) | packet[3], options)
            : null;
    }
}
