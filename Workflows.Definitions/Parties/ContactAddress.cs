using System.Net.Mail;

namespace Workflows.Definitions.Parties;

public static class ContactAddress
{
    /// <summary>The reserved top-level domain (RFC 2606) the shipped placeholder addresses use,
    /// so a fresh install can never mail a real municipality.</summary>
    public const string PlaceholderTopLevelDomain = ".example";

    /// <summary>True for a bare address such as <c>hoering@aarhus.dk</c>. Display names
    /// ("Aarhus &lt;…&gt;"), whitespace and dotless domains are refused: an operator's typo
    /// must be reported, not turned into an address that bounces months later.</summary>
    public static bool IsValid(string address)
    {
        if (address.Length == 0 || address.Length > 254 || address.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!MailAddress.TryCreate(address, out var parsed)
            || parsed.DisplayName.Length != 0
            || !string.Equals(parsed.Address, address, StringComparison.Ordinal))
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || address.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return false;
        }

        var labels = address[(at + 1)..].Split('.');
        return labels.Length >= 2
            && labels.All(l => l.Length > 0 && !l.StartsWith('-') && !l.EndsWith('-') && l.All(c => char.IsLetterOrDigit(c) || c == '-'));
    }

    /// <summary>True for an address on the reserved <c>.example</c> domain.</summary>
    public static bool IsPlaceholder(string address) =>
        address.EndsWith(PlaceholderTopLevelDomain, StringComparison.OrdinalIgnoreCase);
}
