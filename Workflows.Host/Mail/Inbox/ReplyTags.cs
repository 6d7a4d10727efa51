using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// Plus-address tags that name a party task and cannot be made up: <c>hoering+&lt;id&gt;&lt;mac&gt;@kkr.example</c>, where
/// <c>id</c> is the party task id (26 base32 characters) and <c>mac</c> the first 80 bits of an HMAC-SHA256 of that id
/// under a server-side key (16 base32 characters). Lower case only, because mail systems may change the case of
/// an address.
/// </summary>
/// <remarks>
/// Knowing a party task id (staff see them in the API) is not enough to answer for that party: without the key
/// nobody can compute the MAC, and a guess succeeds with probability 2^-80 per mail sent. The key is
/// <see cref="ImapOptions.TagKey"/>, or derived from the inbox password: whoever has that password can put any mail
/// into the inbox anyway, so a tag derived from it grants nothing that person lacks. The tag is as strong as the
/// answer link in the same mail, and carries the same authority.
/// </remarks>
public static class ReplyTags
{
    public const int TagLength = IdLength + MacLength;

    private const int IdLength = 26;
    private const int MacLength = 16;
    private const int MacBytes = 10;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly byte[] Purpose = "ProcesFlow reply tag v1"u8.ToArray();

    /// <summary>
    /// The Reply-To for a mail about <paramref name="partyTaskId"/>: the tagged address when a key is available, the
    /// plain inbox address otherwise; null when no answer inbox is configured (host and address) or the mail is about
    /// no party.
    /// </summary>
    public static MailboxAddress? ReplyTo(ImapOptions options, Guid? partyTaskId, string? displayName)
    {
        if (partyTaskId is not { } id || !options.IsConfigured || !MailboxAddress.TryParse(options.Address, out var inbox) || inbox.Address.IndexOf('@', StringComparison.Ordinal) is not (> 0 and var at))
        {
            return null;
        }
        var address = Key(options) is { } key
            ? $"{inbox.Address[..at]}+{Tag(key, id)}{inbox.Address[at..]}"
            : inbox.Address;
        return new MailboxAddress(string.IsNullOrWhiteSpace(inbox.Name) ? displayName : inbox.Name, address);
    }

    /// <summary>The tag for a party task under <paramref name="key"/>.</summary>
    public static string Tag(byte[] key, Guid partyTaskId)
    {
        Span<byte> id = stackalloc byte[16];
        partyTaskId.TryWriteBytes(id, bigEndian: true, out _);
        return Base32(id) + Base32(Mac(key, id));
    }

    /// <summary>The party task a tagged address names, if its tag verifies; null for any other address.</summary>
    public static Guid? Verify(byte[] key, string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var plus = local.LastIndexOf('+');
        if (plus < 0 || local.Length - plus - 1 != TagLength)
        {
            return null;
        }
        var tag = local[(plus + 1)..].ToLowerInvariant();
        Span<byte> id = stackalloc byte[16];
        Span<byte> mac = stackalloc byte[MacBytes];
        if (!TryBase32(tag.AsSpan(0, IdLength), id) || !TryBase32(tag.AsSpan(IdLength), mac))
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(mac, Mac(key, id)) ? new Guid(id, bigEndian: true) : null;
    }

    /// <summary>The signing key: <see cref="ImapOptions.TagKey"/>, else one derived from the inbox password; null without either.</summary>
    public static byte[]? Key(ImapOptions options)
    {
        if (!string.IsNullOrEmpty(options.TagKey))
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.TagKey), 32, Purpose, "configured"u8.ToArray());
        }
        if (!string.IsNullOrEmpty(options.Password))
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Password), 32, Purpose, Encoding.UTF8.GetBytes("imap:" + options.User));
        }
        return null;
    }

    private static byte[] Mac(byte[] key, ReadOnlySpan<byte> id)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key, id, full);
        return full[..MacBytes].ToArray();
    }

    // RFC 4648 base32, lower case, no padding: 16 bytes give 26 characters, 10 bytes give 16.
    private static string Base32(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return text.ToString();
    }

    private static bool TryBase32(ReadOnlySpan<char> text, Span<byte> into)
    {
        int buffer = 0, bits = 0, written = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                if (written == into.Length)
                {
                    return false;
                }
                into[written++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        // Only the padding bits of the last character may remain, and they must be zero (one spelling per tag).
        return written == into.Length && (buffer & ((1 << bits) - 1)) == 0;
    }
}
