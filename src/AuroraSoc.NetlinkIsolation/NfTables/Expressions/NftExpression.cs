using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>
/// One nf_tables expression of a rule (a "[ meta load ... ]" line in nft --debug=netlink). Each concrete type
/// declares its attributes once, in an <c>ObjectSchema</c>, which both encodes and decodes it.
/// </summary>
public abstract class NftExpression : IEquatable<NftExpression>
{
    /// <summary>The kernel's expression name (NFTA_EXPR_NAME), e.g. "meta".</summary>
    public abstract string Name { get; }

    /// <summary>Writes the attributes inside NFTA_EXPR_DATA.</summary>
    internal abstract void WriteData(ref NetlinkWriter writer);

    /// <summary>The NFTA_* name of an attribute inside NFTA_EXPR_DATA, for extended-ack error messages.</summary>
    internal abstract string NameDataAttribute(ushort type);

    /// <summary>Writes NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } } as libnftnl does.</summary>
    internal void Write(ref NetlinkWriter writer)
    {
        AttributeToken element = writer.BeginNested((ushort)NftListAttribute.Element);
        writer.WriteString((ushort)NftExpressionAttribute.Name, Name);
        AttributeToken data = writer.BeginNested((ushort)NftExpressionAttribute.Data);
        WriteData(ref writer);
        writer.EndNested(data);
        writer.EndNested(element);
    }

    /// <summary>
    /// True when both do the same thing in the kernel. Differs from <see cref="Equals(NftExpression?)"/> only where
    /// the kernel reports an attribute nft left to its default (e.g. NFTA_BITWISE_OP, NFTA_REJECT_ICMP_CODE).
    /// </summary>
    public virtual bool IsEquivalentTo(NftExpression other) => Equals(other);

    /// <summary>Two expressions are equal when they encode to the same bytes.</summary>
    public bool Equals(NftExpression? other)
    {
        if (other is null || other.Name != Name)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return EncodeData().AsSpan().SequenceEqual(other.EncodeData());
    }

    /// <summary>True when <paramref name="obj"/> is an expression of the same kind with the same encoded bytes.</summary>
    public override bool Equals(object? obj) => Equals(obj as NftExpression);

    /// <summary>A hash of the kind and the encoded bytes, consistent with <see cref="Equals(object?)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.AddBytes(EncodeData());
        return hash.ToHashCode();
    }

    /// <summary>The encoded NFTA_EXPR_DATA contents (inside a dummy message header, which is stripped).</summary>
    internal byte[] EncodeData()
    {
        using var buffer = new NetlinkBuffer(256);
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(0, NetlinkMessageFlags.None, 0);
        WriteData(ref writer);
        writer.EndMessage(message);
        return buffer.WrittenSpan[NetlinkMessageHeader.Size..].ToArray();
    }
}

/// <summary>Shared plumbing for expressions described by an <see cref="Schema.ObjectSchema{TObject}"/>.</summary>
internal abstract class NftExpression<TSelf> : NftExpression
    where TSelf : NftExpression<TSelf>
{
    private protected abstract Schema.ObjectSchema<TSelf> Schema { get; }

    public override string Name => Schema.Name;

    internal override void WriteData(ref NetlinkWriter writer) => Schema.Write(ref writer, (TSelf)this);

    internal override string NameDataAttribute(ushort type) => Schema.NameOf(type);
}
