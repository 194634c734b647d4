using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>
/// struct nft_data that holds either a verdict or a value (NFTA_IMMEDIATE_DATA): an immediate loads a verdict into the
/// verdict register, or constant bytes into a data register (nft's <c>. 0</c> in a concatenated set key).
/// </summary>
internal sealed class VerdictOrValueField<TObject>(
    ushort type, string kernelName, Func<TObject, NftVerdictData?> getVerdict, Action<TObject, NftVerdictData> setVerdict,
    Func<TObject, byte[]?> getValue, Action<TObject, byte[]> setValue)
    : AttributeField<TObject>(type, kernelName)
{
    private readonly VerdictField<TObject> _verdict = new(type, kernelName, getVerdict, setVerdict);
    private readonly DataValueField<TObject> _value = new(type, kernelName, getValue, setValue);

    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        _verdict.Write(ref writer, value);
        _value.Write(ref writer, value);
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target) => _verdict.Read(in reader, target) || _value.Read(in reader, target);

    public override string? NameNested(ushort nestedType) => _verdict.NameNested(nestedType) ?? _value.NameNested(nestedType);
}
