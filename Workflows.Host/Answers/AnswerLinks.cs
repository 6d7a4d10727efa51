using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using NodaTime;

namespace Workflows.Host.Answers;

/// <summary>
/// A party's personal answer link: the party task's id and an expiry, signed and encrypted with ASP.NET Core Data
/// Protection (the key ring is in the database, so every node reads every link). Nothing is stored to check it: the
/// link is made when its mail is rendered. The expiry is read against the engine's clock, so links behave the same on
/// the simulated clock; the party task's own <c>TokenExpiresAt</c> (which follows deadline changes) still applies.
/// </summary>
public sealed class AnswerLinks(IDataProtectionProvider provider, IClock clock)
{
    /// <summary>The longest a link works after its mail was written; later mails carry fresh links.</summary>
    public static readonly Duration Lifetime = Duration.FromDays(365);

    private readonly IDataProtector protector = provider.CreateProtector("ProcesFlow.AnswerLink.v1");

    /// <summary>A new link token for the party task, valid for <see cref="Lifetime"/>.</summary>
    public string Create(Guid partyTaskId) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{partyTaskId:N}.{(clock.GetCurrentInstant() + Lifetime).ToUnixTimeSeconds()}"));

    /// <summary>The party task a token was made for; null when it is not one of ours or has been tampered with.</summary>
    public SignedLink? Read(string token)
    {
        string plain;
        try
        {
            plain = protector.Unprotect(token);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = plain.Split('.');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var partyTaskId)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }
        return new SignedLink(partyTaskId, Instant.FromUnixTimeSeconds(seconds) <= clock.GetCurrentInstant());
    }
}

public sealed record SignedLink(Guid PartyTaskId, bool Expired);
