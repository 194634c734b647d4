using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>Our batches against the bytes nft 1.0.6 sent for the same objects (tests/TestVectors, captured by capture.sh).</summary>
public class GoldenBatchTests
{
    [Fact]
    public void WriteIsolateBatch_ContractExample_EqualsNftIsolateTransactionButTheFirstTableHasNoFlags()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset.Build(ContractPolicies.Example()).WriteIsolateBatch(batch, 0);

        GoldenAssert.MessagesEqual(Messages.WithFirstNewTableFlagless(TestVector.Load("isolate-transaction").Request), Messages.Split(batch.Bytes));
    }

    [Fact]
    public void WriteIsolateBatch_OwnerPersistFlags_OnlyTheLastNewTableCarriesThem()
    {
        using var plain = new NfTablesBatch();
        using var owned = new NfTablesBatch();
        IsolationRuleset.Build(ContractPolicies.Example()).WriteIsolateBatch(plain, 0);
        IsolationRuleset.Build(ContractPolicies.Example(), NftTableFlags.Owner | NftTableFlags.Persist).WriteIsolateBatch(owned, 0);

        List<byte[]> expected = Messages.Split(plain.Bytes);
        byte[] lastNewTable = expected[3];
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(lastNewTable.AsSpan(^4))); // NFTA_TABLE_FLAGS is the last attribute
        BinaryPrimitives.WriteUInt32BigEndian(lastNewTable.AsSpan(^4), 0x6); // NFT_TABLE_F_OWNER | NFT_TABLE_F_PERSIST

        GoldenAssert.MessagesEqual(expected, Messages.Split(owned.Bytes));
    }

    [Theory]
    [InlineData("contract-example")]
    [InlineData("strict-variant")]
    [InlineData("strict-dns-any")]
    [InlineData("reason-comment")]
    public void TableChainsAndRules_Policy_EqualNftTableBlock(string vector)
    {
        IsolationPolicy policy = vector switch
        {
            "contract-example" => ContractPolicies.Example(),
            "strict-variant" => ContractPolicies.StrictVariant(),
            "reason-comment" => TableCommentTests.ReasonPolicy(),
            _ => ContractPolicies.StrictDnsAny(),
        };
        GoldenAssert.MessagesEqual(TestVector.Load(vector).Request, TableBlockMessages(IsolationRuleset.Build(policy)));
    }

    /// <summary>
    /// What `nft -f` of a table block sends: BEGIN, NEWTABLE, the chains, each named set and its elements (an allowlist's),
    /// the rules, END; each message kind on its own.
    /// </summary>
    internal static List<byte[]> TableBlockMessages(IsolationRuleset ruleset)
    {
        using var batch = new NfTablesBatch();
        batch.Begin(0);
        batch.AddTable(ruleset.Table);
        foreach (NftChain chain in ruleset.Chains)
        {
            batch.AddChain(chain);
        }

        foreach (NftSet set in ruleset.Sets)
        {
            batch.AddSet(set);
            batch.AddSetElements(set, set.Elements);
        }

        foreach (NftRule rule in ruleset.Rules)
        {
            batch.AddRule(rule);
        }

        batch.End();
        return Messages.Split(batch.Bytes);
    }

    [Fact]
    public void WriteUnisolateBatch_DefaultTable_EqualsNftAddThenDeleteButTheTableHasNoFlags()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset.WriteUnisolateBatch(batch, 0, "aurorasoc");

        GoldenAssert.MessagesEqual(Messages.WithFirstNewTableFlagless(TestVector.Load("unisolate-transaction").Request), Messages.Split(batch.Bytes));
    }

    [Fact]
    public void WriteIsolateBatch_TwiceIntoSameBatch_SameBytes()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.Example());
        using var batch = new NfTablesBatch();
        ruleset.WriteIsolateBatch(batch, 100);
        byte[] first = batch.Bytes.ToArray();
        ruleset.WriteIsolateBatch(batch, 100);

        Assert.Equal(first, batch.Bytes.ToArray());
        Assert.Equal(ruleset.IsolateMessageCount, batch.MessageCount);
    }
}

public class CachedIsolateBatchTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(7u)]
    [InlineData(uint.MaxValue - 100)]
    public void WriteIsolateBatch_CachedMessages_SameBytesAsEncodingTheModel(uint firstSequence)
    {
        foreach (IsolationPolicy policy in (IsolationPolicy[])[ContractPolicies.Example(), ContractPolicies.StrictVariant(), ContractPolicies.StrictDnsAny()])
        {
            IsolationRuleset ruleset = IsolationRuleset.Build(policy);
            using var cached = new NfTablesBatch();
            using var encoded = new NfTablesBatch();

            ruleset.WriteIsolateBatch(cached, firstSequence);
            ruleset.WriteIsolateBatchFromModel(encoded, firstSequence);

            Assert.Equal(Convert.ToHexString(encoded.Bytes), Convert.ToHexString(cached.Bytes));
            Assert.True(cached.TryGetMessage(unchecked(firstSequence + 5), out BatchMessage message));
            Assert.Equal("NFT_MSG_NEWCHAIN", message.TypeName);
        }
    }

    [Fact]
    public void AddEncoded_NotAWholeMessage_ThrowsArgumentException()
    {
        using var batch = new NfTablesBatch();
        batch.Begin(1);

        Assert.Throws<ArgumentException>(() => batch.AddEncoded(new byte[10]));
    }
}
