using BatchVideo.Ledger;

namespace BatchVideo.Tests.Ledger;

[TestFixture]
public sealed class LedgerWriterTests
{
    [Test]
    public void A_parameter_type_the_writer_cannot_bind_is_refused_with_its_name_and_type()
    {
        var parameters = new { Campaign = "welcome", When = DateTimeOffset.UnixEpoch };

        var refused = Assert.Throws<NotSupportedException>(() => LedgerWriter.ParameterTypes(parameters.GetType()));

        Assert.That(refused!.Message, Does.Contain("@When").And.Contain(nameof(DateTimeOffset)));
    }

    [Test]
    public void Strings_ints_and_longs_and_their_nullable_forms_bind()
    {
        var parameters = new { Key = "C-1", Attempt = 1, Now = 1L, Expires = (long?)null, Count = (int?)2 };

        Assert.That(LedgerWriter.ParameterTypes(parameters.GetType()).Select(p => p.Type), Is.EqualTo(new[]
        {
            System.Data.DbType.String, System.Data.DbType.Int32, System.Data.DbType.Int64, System.Data.DbType.Int64, System.Data.DbType.Int32,
        }));
    }
}
