using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// Iterates netlink attributes (nlattr TLVs) in a span. <c>Read()</c> moves to the next one; the typed getters
/// check the value's size and state its byte order. Malformed input throws <see cref="NetlinkProtocolException"/>.
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _offset;
    private ushort _rawType;
    private ReadOnlySpan<byte> _value;
    private int _currentOffset;

    public NetlinkAttributeReader(ReadOnlySpan<byte> span)
    {
        _span = span;
    }

    /// <summary>The attribute type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.</summary>
    public readonly ushort Type => (ushort)(_rawType & NetlinkAttributeFlags.TypeMask);

    public readonly bool IsNested => (_rawType & NetlinkAttributeFlags.Nested) != 0;

    public readonly ReadOnlySpan<byte> Value => _value;

    /// <summary>Offset of the current attribute's header within the span given to the constructor.</summary>
    public readonly int CurrentOffset => _currentOffset;

    /// <summary>Offset of the next attribute within the span.</summary>
    public readonly int BytesConsumed => _offset;

    public bool Read()
    {
        int remaining = _span.Length - _offset;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < NetlinkConstants.NLA_HDRLEN)
        {
            throw new NetlinkProtocolException($"{remaining} trailing bytes at offset {_offset} are too few for an nlattr.");
        }

        NetlinkAttributeHeader header = MemoryMarshal.Read<NetlinkAttributeHeader>(_span.Slice(_offset, NetlinkAttributeHeader.Size));
        if (header.Length < NetlinkConstants.NLA_HDRLEN || header.Length > remaining)
        {
            throw new NetlinkProtocolException($"nla_len {header.Length} at offset {_offset} is outside 4..{remaining}.");
        }

        _rawType = header.Type;
        _value = _span.Slice(_offset + NetlinkConstants.NLA_HDRLEN, header.Length - NetlinkConstants.NLA_HDRLEN);
        _currentOffset = _offset;
        _offset = Math.Min(_span.Length, _offset + NetlinkWriter.Align(header.Length));
        return true;
    }

    /// <summary>A reader over the current attribute's value, for nested attributes.</summary>
    public readonly NetlinkAttributeReader Nested() => new(_value);

    public readonly uint GetUInt32BigEndian() => BinaryPrimitives.ReadUInt32BigEndian(Exactly(4));

    public readonly ulong GetUInt64BigEndian() => BinaryPrimitives.ReadUInt64BigEndian(Exactly(8));

    /// <summary>A host-order 32-bit value (the extended-ack attributes are host order, netlink.h).</summary>
    public readonly uint GetUInt32HostOrder() => MemoryMarshal.Read<uint>(Exactly(4));

    public readonly byte GetByte() => Exactly(1)[0];

    /// <summary>A string attribute, without its NUL terminator (tolerates a missing one).</summary>
    public readonly string GetString()
    {
        ReadOnlySpan<byte> value = _value;
        int nul = value.IndexOf((byte)0);
        if (nul >= 0)
        {
            value = value[..nul];
        }

        // Encoding.UTF8 replaces invalid sequences rather than throwing: a hostile name cannot crash the decoder.
        return Encoding.UTF8.GetString(value);
    }

    /// <summary>True when the current string attribute equals <paramref name="expected"/>, without allocating.</summary>
    public readonly bool StringEquals(string expected)
    {
        ReadOnlySpan<byte> value = _value;
        int nul = value.IndexOf((byte)0);
        if (nul >= 0)
        {
            value = value[..nul];
        }

        if (value.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private readonly ReadOnlySpan<byte> Exactly(int size)
    {
        if (_value.Length != size)
        {
            throw new NetlinkProtocolException($"attribute type {Type} has {_value.Length} bytes where {size} were expected.");
        }

        return _value;
    }
}
