using System.Text;
using Workflows.Host.Mail.Inbox;

namespace Workflows.Tests.Inbox;

public sealed class ReplyTagsTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly Guid PartyTaskId = Guid.Parse("0192f0a3-7c1e-7b44-9d2a-5f1e2c3b4a59");

    [Fact]
    public void Verify_TagFromTheSameKey_GivesThePartyTask_WhateverTheCase()
    {
        var address = $"hoering+{ReplyTags.Tag(Key, PartyTaskId)}@kkr.example";

        Assert.Equal(PartyTaskId, ReplyTags.Verify(Key, address));
        Assert.Equal(PartyTaskId, ReplyTags.Verify(Key, address.ToUpperInvariant()));
    }

    [Fact]
    public void Tag_IsLowerCaseBase32_AndFitsAnAddressLocalPart()
    {
        var tag = ReplyTags.Tag(Key, PartyTaskId);

        Assert.Equal(ReplyTags.TagLength, tag.Length);
        Assert.Matches("^[a-z2-7]+$", tag);
        Assert.True($"hoering+{tag}".Length <= 64);
    }

    [Fact]
    public void Verify_AnyChangedCharacter_IsRejected()
    {
        var tag = ReplyTags.Tag(Key, PartyTaskId);
        for (var i = 0; i < tag.Length; i++)
        {
            var changed = tag[..i] + (tag[i] == 'a' ? 'b' : 'a') + tag[(i + 1)..];
            Assert.Null(ReplyTags.Verify(Key, $"hoering+{changed}@kkr.example"));
        }
    }

    [Fact]
    public void Verify_OtherKeyOrOtherPartysIdWithThisMac_IsRejected()
    {
        var tag = ReplyTags.Tag(Key, PartyTaskId);
        var otherKey = Encoding.UTF8.GetBytes("another key, another installation");
        var other = ReplyTags.Tag(Key, Guid.CreateVersion7());

        Assert.Null(ReplyTags.Verify(otherKey, $"hoering+{tag}@kkr.example"));
        // The id of one tag with the MAC of another.
        Assert.Null(ReplyTags.Verify(Key, $"hoering+{tag[..26]}{other[26..]}@kkr.example"));
    }

    [Theory]
    [InlineData("hoering@kkr.example")]
    [InlineData("hoering+kommune@kkr.example")]
    [InlineData("hoering+!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!@kkr.example")]
    public void Verify_AddressWithoutOurTag_IsNull(string address) => Assert.Null(ReplyTags.Verify(Key, address));

    [Fact]
    public void ReplyTo_WithInboxConfigured_IsTheTaggedAddress_AndWithoutIsNull()
    {
        var options = new ImapOptions { Host = "imap.kkr.example", Address = "Høringer <hoering@kkr.example>", Password = "secret", User = "hoering" };

        var replyTo = ReplyTags.ReplyTo(options, PartyTaskId, "ProcesFlow")!;

        Assert.Equal("Høringer", replyTo.Name);
        Assert.StartsWith("hoering+", replyTo.Address, StringComparison.Ordinal);
        Assert.EndsWith("@kkr.example", replyTo.Address, StringComparison.Ordinal);
        Assert.Equal(PartyTaskId, ReplyTags.Verify(ReplyTags.Key(options)!, replyTo.Address));
        Assert.Null(ReplyTags.ReplyTo(options, null, "ProcesFlow"));
        Assert.Null(ReplyTags.ReplyTo(new ImapOptions { Address = "hoering@kkr.example", Password = "secret" }, PartyTaskId, null));
        // Without a key, replies still go to the inbox, untagged.
        Assert.Equal("hoering@kkr.example", ReplyTags.ReplyTo(new ImapOptions { Host = "imap.kkr.example", Address = "hoering@kkr.example" }, PartyTaskId, null)!.Address);
    }

    [Fact]
    public void Key_ConfiguredTagKey_WinsOverPassword_AndPasswordChangeChangesDerivedKey()
    {
        var configured = ReplyTags.Key(new ImapOptions { TagKey = new string('k', 32), Password = "one" });
        Assert.Equal(configured, ReplyTags.Key(new ImapOptions { TagKey = new string('k', 32), Password = "two" }));
        Assert.NotEqual(ReplyTags.Key(new ImapOptions { Password = "one" }), ReplyTags.Key(new ImapOptions { Password = "two" }));
        Assert.Null(ReplyTags.Key(new ImapOptions()));
    }
}
