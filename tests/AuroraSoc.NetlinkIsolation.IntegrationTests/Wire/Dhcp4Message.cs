using System.Buffers.Binary;
using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>A BOOTP/DHCPv4 message (RFC 2131 §2): fixed 236-byte header, magic cookie, options.</summary>
internal sealed record Dhcp4Message(
    byte Op,
    uint TransactionId,
    ushort Flags,
    IPAddress YourAddress,
    IPAddress ServerAddress,
    byte[] ClientHardwareAddress,
    IReadOnlyList<KeyValuePair<byte, byte[]>> Options)
{
    public const byte BootRequest = 1;
    public const byte BootReply = 2;
    public const byte Discover = 1;
    public const byte Offer = 2;
    public const byte Request = 3;
    public const byte Ack = 5;

    public const byte OptionSubnetMask = 1;
    public const byte OptionRouter = 3;
    public const byte OptionRequestedAddress = 50;
    public const byte OptionLeaseTime = 51;
    public const byte OptionMessageType = 53;
    public const byte OptionServerId = 54;
    public const byte OptionParameterList = 55;
    public const byte OptionClientId = 61;

    private const int HeaderLength = 236;
    private static readonly byte[] MagicCookie = [99, 130, 83, 99];

    public byte? MessageType => Option(OptionMessageType) is [var type] ? type : null;

    public byte[]? Option(byte code) => Options.FirstOrDefault(o => o.Key == code).Value;

    public byte[] Encode()
    {
        var length = HeaderLength + MagicCookie.Length + Options.Sum(o => 2 + o.Value.Length) + 1;
        var packet = new byte[Math.Max(length, 300)]; // BOOTP minimum size; the padding is zero (pad option)
        packet[0] = Op;
        packet[1] = 1; // htype: Ethernet
        packet[2] = 6; // hlen
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Flags);
        YourAddress.GetAddressBytes().CopyTo(packet, 16);
        ServerAddress.GetAddressBytes().CopyTo(packet, 20);
        ClientHardwareAddress.CopyTo(packet, 28);
        MagicCookie.CopyTo(packet, HeaderLength);
        var offset = HeaderLength + MagicCookie.Length;
        foreach (var (code, value) in Options)
        {
            packet[offset++] = code;
            packet[offset++] = checked((byte)value.Length);
            value.CopyTo(packet, offset);
            offset += value.Length;
        }

        packet[offset] = 255; // end
        return packet;
    }

    public static Dhcp4Message? TryDecode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderLength + MagicCookie.Length || packet[1] != 1 || packet[2] != 6
            || !packet.Slice(HeaderLength, MagicCookie.Length).SequenceEqual(MagicCookie))
        {
            return null;
        }

        var options = new List<KeyValuePair<byte, byte[]>>();
        var offset = HeaderLength + MagicCookie.Length;
        while (offset < packet.Length && packet[offset] != 255)
        {
            if (packet[offset] == 0)
            {
                offset++;
                continue;
            }

            if (offset + 2 > packet.Length || offset + 2 + packet[offset + 1] > packet.Length)
            {
                return null;
            }

            options.Add(new(packet[offset], packet.Slice(offset + 2, packet[offset + 1]).ToArray()));
            offset += 2 + packet[offset + 1];
        }

        return new Dhcp4Message(
            packet[0],
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[10..]),
            new IPAddress(packet.Slice(16, 4)),
            new IPAddress(packet.Slice(20, 4)),
            packet.Slice(28, 6).ToArray(),
            options);
    }
}
