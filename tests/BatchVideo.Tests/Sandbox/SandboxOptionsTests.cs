using BatchVideo.Sandbox;
using Microsoft.Extensions.Options;

namespace BatchVideo.Tests.Sandbox;

[TestFixture]
public sealed class SandboxOptionsTests
{
    [Test]
    public async Task Every_bad_sandbox_setting_is_reported_at_once_with_its_name()
    {
        var options = new SandboxOptions { RenderJitter = 2, WalletCurrency = "eur", VideoFileBytes = 10, AvatarIds = [" "] };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SandboxServer.StartAsync(options));

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "Sandbox:RenderJitter must be between 0 and 1.",
            "Sandbox:VideoFileBytes must be at least 1024.",
            "Sandbox:WalletCurrency must be usd or credits.",
            "Sandbox:AvatarIds must be set, without blank ids.",
        }));
    }
}
