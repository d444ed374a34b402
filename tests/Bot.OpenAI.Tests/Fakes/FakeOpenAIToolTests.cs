using System.ClientModel;
using System.Text;
using Bot.Testing.OpenAI;
using OpenAI.Containers;
using OpenAI.Files;
using OpenAI.Responses;
using OpenAI.VectorStores;

namespace Bot.OpenAI.Tests.Fakes;

public sealed class FakeOpenAIToolTests
{
    private static readonly byte[] s_png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5];
    private static readonly byte[] s_csv = Encoding.UTF8.GetBytes("x,y\n1,2\n2,4\n");

    [Fact]
    public async Task CodeInterpreterPngAndCsv_ComeOutAsContainerFileCitations_WhoseBytesDownloadExactly()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var data = (await sdk.Files.UploadFileAsync(BinaryData.FromBytes(s_csv), "input.csv", FileUploadPurpose.Assistants)).Value;
        server.Enqueue(FakeResponse.Stream()
            .CodeInterpreterFile("chart.png", s_png)
            .CodeInterpreterFile("table.csv", s_csv)
            .Text("Here is the chart and [the table](sandbox:/mnt/data/table.csv)."));
        var conversationId = await sdk.NewConversationAsync();
        var turn = FakeOpenAISdk.Turn(conversationId, "Plot it");
        turn.Tools.Add(ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(
            CodeInterpreterToolContainerConfiguration.CreateAutomaticContainerConfiguration([data.Id]))));
        turn.IncludedProperties.Add(IncludedResponseProperty.CodeInterpreterCallOutputs);

        var updates = await sdk.StreamAsync(turn);

        var citations = updates.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()
            .Select(a => Assert.IsType<ContainerFileCitationMessageAnnotation>(a.Annotation)).ToList();
        Assert.Equal(["chart.png", "table.csv"], citations.Select(c => c.Filename));
        var calls = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<CodeInterpreterCallResponseItem>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(citations, c => Assert.Equal(calls[0].ContainerId, c.ContainerId));
        Assert.Contains(calls[0].Outputs, o => o is CodeInterpreterCallImageOutput);
        Assert.Contains(calls[1].Outputs, o => o is CodeInterpreterCallLogsOutput);
        Assert.Contains(updates, u => u is StreamingResponseCodeInterpreterCallInterpretingUpdate);
        Assert.Equal(calls[0].Code, string.Concat(updates.OfType<StreamingResponseCodeInterpreterCallCodeDeltaUpdate>()
            .Where(d => d.ItemId == calls[0].Id).Select(d => d.Delta)));
        var text = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.GetOutputText();
        Assert.Equal("sandbox:/mnt/data/table.csv", text[citations[1].StartIndex..citations[1].EndIndex]);

        Assert.Equal(s_png, (await sdk.Containers.DownloadContainerFileAsync(citations[0].ContainerId, citations[0].FileId)).Value.ToArray());
        Assert.Equal(s_csv, (await sdk.Containers.DownloadContainerFileAsync(citations[1].ContainerId, citations[1].FileId)).Value.ToArray());
        var file = (await sdk.Containers.GetContainerFileAsync(citations[0].ContainerId, citations[0].FileId)).Value;
        Assert.Equal(("/mnt/data/chart.png", "assistant", (long?)s_png.Length), (file.Path, file.Source, file.SizeInBytes));
        Assert.Equal([data.Id], server.ResponseRequests[0].CodeInterpreterFileIds);
        Assert.Equal([citations[0].ContainerId], server.Ledger.CreatedContainers);
    }

    [Fact]
    public async Task CodeInterpreterFile_WithoutFollowingText_GetsAMessageCarryingItsCitation_InTheConversationsContainer()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("a.csv", s_csv), FakeResponse.Stream().CodeInterpreterFile("b.csv", s_csv));
        var conversationId = await sdk.NewConversationAsync();

        var first = await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "one"));
        var second = await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "two"));

        var a = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(first.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        var b = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(second.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        Assert.Equal(a.ContainerId, b.ContainerId);
        Assert.Contains("a.csv", Assert.IsType<StreamingResponseCompletedUpdate>(first[^1]).Response.GetOutputText(), StringComparison.Ordinal);
        var files = new List<string>();
        await foreach (var file in sdk.Containers.GetContainerFilesAsync(new ContainerFileCollectionOptions(a.ContainerId)))
        {
            files.Add(file.Path);
        }

        Assert.Equal(["/mnt/data/b.csv", "/mnt/data/a.csv"], files);

        // After the service's 20 idle minutes the files are gone; the next code-interpreter turn gets a new container.
        server.ExpireContainer(a.ContainerId);
        var expired = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Containers.DownloadContainerFileAsync(a.ContainerId, a.FileId));
        Assert.Equal(404, expired.Status);
        server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("c.csv", s_csv));
        var third = await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "three"));
        var c = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(third.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        Assert.NotEqual(a.ContainerId, c.ContainerId);
    }

    [Fact]
    public async Task FileSearchWithFileCitation_ComesOutAsFileSearchUpdates_AndFileCitationAnnotation()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var file = (await sdk.Files.UploadFileAsync(BinaryData.FromString("Travis likes pizza."), "foods.txt", FileUploadPurpose.Assistants)).Value;
        var store = (await sdk.VectorStores.CreateVectorStoreAsync(new VectorStoreCreationOptions { Name = "docs", FileIds = { file.Id } })).Value;
        server.Enqueue(FakeResponse.Stream()
            .FileSearch("What is Travis's favorite food?")
            .Text("Travis's favorite food is pizza.", FakeCitation.File(file.Id, "foods.txt", 31)));
        var turn = FakeOpenAISdk.Turn(null, "favorite food?");
        turn.Tools.Add(ResponseTool.CreateFileSearchTool([store.Id]));
        turn.IncludedProperties.Add(IncludedResponseProperty.FileSearchCallResults);

        var updates = await sdk.StreamAsync(turn);

        Assert.Contains(updates, u => u is StreamingResponseFileSearchCallInProgressUpdate);
        Assert.Contains(updates, u => u is StreamingResponseFileSearchCallSearchingUpdate);
        Assert.Contains(updates, u => u is StreamingResponseFileSearchCallCompletedUpdate);
        var search = Assert.IsType<FileSearchCallResponseItem>(updates.OfType<StreamingResponseOutputItemDoneUpdate>().First().Item);
        Assert.Equal(["What is Travis's favorite food?"], search.Queries);
        Assert.Equal(file.Id, Assert.Single(search.Results).FileId);
        var annotation = Assert.Single(updates.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>());
        var citation = Assert.IsType<FileCitationMessageAnnotation>(annotation.Annotation);
        Assert.Equal((file.Id, "foods.txt", 31), (citation.FileId, citation.Filename, citation.Index));

        // Announced once the text reached the cited index, before the final ".".
        Assert.IsType<StreamingResponseOutputTextDeltaUpdate>(updates[updates.IndexOf(annotation) + 1]);
        Assert.Equal([store.Id], server.ResponseRequests[0].VectorStoreIds);
    }

    [Fact]
    public async Task Requests_WithUnknownIdsOrNoModel_AreRejectedLikeTheService()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);

        var unknownConversation = FakeOpenAISdk.Turn("conv_missing", "hi");
        var unknownStore = FakeOpenAISdk.Turn(null, "hi");
        unknownStore.Tools.Add(ResponseTool.CreateFileSearchTool(["vs_missing"]));
        var unknownCodeFile = FakeOpenAISdk.Turn(null, "hi");
        unknownCodeFile.Tools.Add(ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(
            CodeInterpreterToolContainerConfiguration.CreateAutomaticContainerConfiguration(["file-missing"]))));
        var unknownImage = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true };
        unknownImage.InputItems.Add(ResponseItem.CreateUserMessageItem(
            [ResponseContentPart.CreateInputTextPart("look"), ResponseContentPart.CreateInputImagePart("file-noimage")]));
        var noModel = FakeOpenAISdk.Turn(null, "hi");
        noModel.Model = null;

        var errors = new List<ClientResultException>();
        foreach (var options in (CreateResponseOptions[])[unknownConversation, unknownStore, unknownCodeFile, unknownImage, noModel])
        {
            errors.Add(await Assert.ThrowsAsync<ClientResultException>(() => sdk.StreamAsync(options)));
        }

        Assert.Equal([404, 404, 400, 400, 400], errors.Select(e => e.Status));
        Assert.Contains("Conversation with id 'conv_missing' not found.", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("vs_missing", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("file-missing", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("file-noimage", errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("(invalid_request_error: missing_required_parameter)", errors[4].Message, StringComparison.Ordinal);
        Assert.Empty(server.ResponseRequests);
    }

    [Fact]
    public async Task InputImagesAndFiles_AreRecorded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var image = (await sdk.Files.UploadFileAsync(BinaryData.FromBytes(s_png), "photo.png", FileUploadPurpose.Vision)).Value;
        var pdf = (await sdk.Files.UploadFileAsync(BinaryData.FromString("%PDF-1.4"), "doc.pdf", FileUploadPurpose.UserData)).Value;
        var turn = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true };
        turn.InputItems.Add(ResponseItem.CreateUserMessageItem([
            ResponseContentPart.CreateInputTextPart("What is this?"),
            ResponseContentPart.CreateInputImagePart(image.Id),
            ResponseContentPart.CreateInputFilePart(pdf.Id),
        ]));

        await sdk.StreamAsync(turn);

        var request = Assert.Single(server.ResponseRequests);
        Assert.Equal(("What is this?", image.Id, pdf.Id), (request.UserText, Assert.Single(request.InputImageFileIds), Assert.Single(request.InputFileIds)));
    }
}
