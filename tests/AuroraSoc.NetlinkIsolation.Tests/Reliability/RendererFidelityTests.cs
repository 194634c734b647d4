using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Found while building the fuzz oracle: the renderer may print a rule it does not fully recognise as comments, but it
/// must never drop a match (NftSyntaxRenderer's contract: "never dropped"), or a status listing would show a rule as
/// more permissive than it is.
/// </summary>
public sealed class RendererFidelityTests
{
    /// <summary>
    /// BUG: RenderRule keeps one placeholder per dependency kind (nfprotoAt / l4protoAt); a second meta nfproto (or
    /// meta l4proto) match overwrites the index, and the first placeholder stays empty and is filtered out.
    /// </summary>
    [Theory]
    [InlineData((uint)NftMetaKey.NfProto, new byte[] { 2 }, new byte[] { 10 }, "meta nfproto ipv4 meta nfproto ipv6 accept")]
    [InlineData((uint)NftMetaKey.L4Proto, new byte[] { 6 }, new byte[] { 17 }, "meta l4proto tcp meta l4proto udp accept")]
    public void RenderRule_TheSameDependencyMatchedTwice_PrintsBothMatches(uint metaKey, byte[] first, byte[] second, string expected)
    {
        // The key travels as its number: the expression model is internal, and a public test method cannot name it.
        var key = (NftMetaKey)metaKey;
        var rule = new NftRule(NfProtocolFamily.Inet, "aurorasoc", "input",
        [
            MetaExpression.Load(key), CmpExpression.Create(NftCmpOperator.Eq, first),
            MetaExpression.Load(key), CmpExpression.Create(NftCmpOperator.Eq, second),
            ImmediateExpression.ForVerdict(NfVerdict.Accept),
        ]);

        Assert.Equal(expected, NftSyntaxRenderer.RenderRule(rule));
    }
}
