using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

public class ContactAddressTests
{
    [Theory]
    [InlineData("hoering@aarhus.dk", true)]
    [InlineData("postkasse@aarhus.kommune.example", true)]
    [InlineData("first.last+hoering@sub.kl.dk", true)]
    [InlineData("post@rødovre.dk", true)]
    [InlineData("", false)]
    [InlineData("aarhus.dk", false)]
    [InlineData("a@localhost", false)]
    [InlineData("a b@aarhus.dk", false)]
    [InlineData(" a@aarhus.dk", false)]
    [InlineData("Aarhus <a@aarhus.dk>", false)]
    [InlineData("a@-aarhus.dk", false)]
    [InlineData("a@aarhus.dk.", false)]
    public void IsValid_AcceptsOnlyBareAddresses(string address, bool valid)
    {
        Assert.Equal(valid, ContactAddress.IsValid(address));
    }

    [Theory]
    [InlineData("postkasse@aarhus.kommune.example", true)]
    [InlineData("x@EXAMPLE.DK.EXAMPLE", true)]
    [InlineData("x@example.dk", false)]
    [InlineData("x@example.com", false)]
    public void IsPlaceholder_OnlyTheReservedTld(string address, bool placeholder)
    {
        Assert.Equal(placeholder, ContactAddress.IsPlaceholder(address));
    }
}
