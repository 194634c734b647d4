namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// Every fuzz target, by name. fuzz.sh and CI's short run take their list from here, so a new target is one line
/// (a text parser: <c>FuzzTarget.ForText("NAME", "what the input is", text =&gt; Parser.TryParse(text, out _, out _),
/// "a seed", "another")</c>); its seed folder is written by <c>seed</c>.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("reply-decoder", "a datagram of netlink messages as the kernel answers a dump or GET", ReplyDecoderTarget.Run, ReplyDecoderTarget.Seeds),
        new("extack-locator", "a 4-byte NLMSGERR_ATTR_OFFS (host order) followed by the message the kernel refused", ExtendedAckLocatorTarget.Run, ExtendedAckLocatorTarget.Seeds),
        new("renderer", "a datagram of NEWTABLE/NEWCHAIN/NEWRULE messages, decoded and printed in nft syntax", RendererTarget.Run, RendererTarget.Seeds),
        FuzzTarget.ForText("endpoint", "the text of --collector / --allow-peer / --dns-server", EndpointParserTarget.Check, EndpointParserTarget.Seeds),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(target => target.Name == name);
}
