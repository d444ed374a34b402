using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>Files users attach: routed by type, downloaded only from allowed hosts and within the size limits.</summary>
public sealed class AttachmentTests
{
    [Fact]
    public async Task CsvPdfAndPng_GoToCodeInterpreterFileSearchAndVision_AnExeGetsAWarning()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Looked at them."));
        var message = bot.Mention("look at these");
        message["attachments"] = new JsonArray(
            bot.Discord.AddAttachment("table.csv", "a,b\n1,2\n"u8.ToArray(), "text/csv"),
            bot.Discord.AddAttachment("paper.pdf", "%PDF-1.4 fake"u8.ToArray(), "application/pdf"),
            bot.Discord.AddAttachment("photo.png", [0x89, 0x50, 0x4E, 0x47], "image/png"),
            bot.Discord.AddAttachment("setup.exe", [0x4D, 0x5A], "application/x-msdownload"));
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        var uploads = bot.OpenAI.Ledger.UploadedFiles;
        var request = Assert.Single(bot.OpenAI.ResponseRequests);
        Assert.Equal([uploads.Single(f => f.Filename == "table.csv").Id], request.CodeInterpreterFileIds);
        Assert.Equal([uploads.Single(f => f.Filename == "photo.png").Id], request.InputImageFileIds);
        Assert.Single(request.VectorStoreIds);
        Assert.DoesNotContain(uploads, f => f.Filename == "setup.exe");
        Assert.Contains("setup.exe", reply.Content, StringComparison.Ordinal);
        Assert.Contains("Looked at them.", reply.Content, StringComparison.Ordinal);
        Assert.Equal(3, bot.Discord.CdnDownloads);
        Assert.All(bot.Discord.Requests.Where(r => r.Route.StartsWith("GET /cdn", StringComparison.Ordinal)), r => Assert.Equal("", r.Authorization));
    }

    [Fact]
    public async Task RecordedAttachmentOnAHostNotAllowed_IsRefusedWithoutDownloading_AndTheUserIsTold()
    {
        await using var bot = await DiscordHarness.StartAsync(o =>
        {
            o.AttachmentHosts.Clear();
            o.AttachmentHosts.Add("cdn.example.org");
        });
        // The recorded message: an image on cdn.discordapp.com, addressed to the bot as a DM.
        var recorded = bot.Discord.Fixture("message_create_guild_attachment.json")["d"]!.AsObject();
        recorded.Remove("guild_id");
        recorded.Remove("member");
        recorded["channel_type"] = 1;
        await bot.SendAsync(recorded);
        var reply = Assert.Single(await bot.AnsweredAsync(recorded));

        Assert.Contains("SPOILER_1122943867721875456.png", reply.Content, StringComparison.Ordinal);
        Assert.Empty(bot.OpenAI.Ledger.UploadedFiles);
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 5015 && e.Message.Contains("cdn.discordapp.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AttachmentOverTheSizeLimit_IsRefusedBeforeTheDownload()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Only text then."));
        var message = bot.Mention("here is a huge file");
        message["attachments"] = new JsonArray(bot.Discord.AddAttachment("huge.csv", "a,b\n"u8.ToArray(), "text/csv", declaredSize: 900L * 1024 * 1024));
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Contains("huge.csv", reply.Content, StringComparison.Ordinal);
        Assert.Equal(0, bot.Discord.CdnDownloads);
        Assert.Empty(bot.OpenAI.Ledger.UploadedFiles);
    }
}
