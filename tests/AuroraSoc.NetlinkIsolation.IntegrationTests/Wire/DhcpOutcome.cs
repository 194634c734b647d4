namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>How a DHCP client exchange ended.</summary>
public enum DhcpOutcome
{
    /// <summary>The whole exchange completed: DISCOVER/OFFER/REQUEST/ACK (v4) or SOLICIT/ADVERTISE/REQUEST/REPLY (v6).</summary>
    Leased,

    /// <summary>The first message went out but nothing answered within the timeout.</summary>
    NoOffer,

    /// <summary>The offer arrived but the acknowledgement did not.</summary>
    NoAck,

    /// <summary>The local stack refused to send (EPERM: an output rule dropped the packet).</summary>
    SendDenied,

    /// <summary>Any other socket error.</summary>
    Failed,

    /// <summary>Inbound only: a server message sent without a request arrived at the client port.</summary>
    Received,
}
