using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

/// <summary>The inbox's JSON columns: the same text in every store, and rows written earlier stay readable.</summary>
public sealed class StoredJsonTests
{
    [Fact]
    public void Attachments_KeepTheirShape_AndLeaveOutWhatIsUnknown()
    {
        var json = StoredJson.Attachments([new IncomingAttachment("b.csv", null, null, "https://cdn/b"), new IncomingAttachment("a.png", "image/png", 12, "p")]);

        Assert.Equal("""[{"name":"b.csv","source":"https://cdn/b"},{"name":"a.png","contentType":"image/png","size":12,"source":"p"}]""", json);
        Assert.Equal([new IncomingAttachment("b.csv", null, null, "https://cdn/b"), new IncomingAttachment("a.png", "image/png", 12, "p")],
            StoredJson.AttachmentsFrom(json));
    }

    [Fact]
    public void APlacePath_RoundTrips_AndNoneStaysNone()
    {
        var path = PlacePath.Of(new Place("discord:1", PlaceKind.Server), new Place("discord:2", PlaceKind.Channel), new Place("discord:3", PlaceKind.Thread));

        var json = StoredJson.Places(path);

        Assert.Equal("""[{"id":"discord:1","kind":"Server"},{"id":"discord:2","kind":"Channel"},{"id":"discord:3","kind":"Thread"}]""", json);
        Assert.Equal(path.Levels, StoredJson.PlacesFrom(json)!.Levels);
        Assert.Null(StoredJson.Places(null));
        Assert.Null(StoredJson.PlacesFrom(null));
    }

    [Theory]
    [InlineData("""[{"id":"x:1","kind":"Galaxy"}]""")]
    [InlineData("""[{"id":"x:1","kind":"99"}]""")]
    [InlineData("""[{"id":"","kind":"Channel"}]""")]
    [InlineData("[]")]
    public void APathThatCannotBeRead_CountsAsTheConversationAlone(string json) => Assert.Null(StoredJson.PlacesFrom(json));
}
