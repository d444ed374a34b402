namespace Bot.OpenAI.Tests.Responses;

/// <summary>Inline image outputs (data: URLs) are decoded only within OpenAI:MaxOutputFileBytes.</summary>
public sealed class DataUriTests
{
    [Fact]
    public void AnImageWithinTheLimit_IsDecoded()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5 };

        Assert.True(MediaTypes.TryDecodeDataUri("data:image/png;base64," + Convert.ToBase64String(png), png.Length, out var mediaType, out var bytes));

        Assert.Equal("image/png", mediaType);
        Assert.Equal(png, bytes);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void AnImageOverTheLimit_IsNotDecoded(int length)
    {
        var uri = "data:image/png;base64," + Convert.ToBase64String(new byte[length]);

        Assert.True(MediaTypes.TryDecodeDataUri(uri, length - 1, out var mediaType, out var bytes));

        Assert.Equal("image/png", mediaType);
        Assert.Null(bytes);
    }

    [Fact]
    public void SomethingElse_IsNotADataUri()
    {
        Assert.False(MediaTypes.TryDecodeDataUri("https://example.com/chart.png", 100, out _, out _));
        Assert.False(MediaTypes.TryDecodeDataUri("data:image/png,not-base64", 100, out _, out _));
    }
}
