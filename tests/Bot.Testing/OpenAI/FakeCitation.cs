namespace Bot.Testing.OpenAI;

/// <summary>A citation the fake attaches to scripted output text.</summary>
public sealed class FakeCitation
{
    private FakeCitation(string fileId, string filename, int index, OutputAnnotation? annotation = null)
    {
        FileId = fileId;
        Filename = filename;
        Index = index;
        Annotation = annotation ?? new(OutputAnnotation.FileCitation, fileId, filename, index);
    }

    /// <summary>The cited file's id; for a web page, its URL.</summary>
    public string FileId { get; }

    /// <summary>The cited file's name; for a web page, its title.</summary>
    public string Filename { get; }

    /// <summary>Where the citation is announced: its index, or a web page citation's end index.</summary>
    public int Index { get; }

    private OutputAnnotation Annotation { get; }

    /// <summary>A `file_citation` (file search) at character <paramref name="index"/> of the text.</summary>
    public static FakeCitation File(string fileId, string filename, int index) => new(fileId, filename, index);

    /// <summary>A `url_citation` (web search) of the text from <paramref name="startIndex"/> to <paramref name="endIndex"/>.</summary>
    public static FakeCitation Url(string url, string title, int startIndex, int endIndex) =>
        new(url, title, endIndex, new OutputAnnotation(OutputAnnotation.UrlCitation, url, title, endIndex, StartIndex: startIndex, EndIndex: endIndex));

    internal OutputAnnotation ToAnnotation() => Annotation;
}
