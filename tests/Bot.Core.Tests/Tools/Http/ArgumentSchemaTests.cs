using System.Text.Json;
using Bot.Core.Tools.Http;

namespace Bot.Core.Tests.Tools.Http;

public sealed class ArgumentSchemaTests
{
    private const string Order = """
        {"type":"object","additionalProperties":false,"required":["item","quantity"],
         "properties":{
           "item":{"type":"string","minLength":2,"maxLength":5},
           "quantity":{"type":"integer","minimum":1,"maximum":10},
           "size":{"enum":["S","M","L"]},
           "price":{"type":"number","exclusiveMinimum":0},
           "gift":{"type":"boolean"},
           "note":{"type":["string","null"]},
           "tags":{"type":"array","items":{"type":"string"}},
           "address":{"type":"object","properties":{"zip":{"type":"string"}},"required":["zip"]},
           "extra":{"type":"object","additionalProperties":{"type":"number"}},
           "free":{"type":"string","format":"email","pattern":"^x"}}}
        """;

    [Theory]
    [InlineData("""{"item":"tea","quantity":1}""")]
    [InlineData("""{"item":"tea","quantity":10.0,"size":"M","price":0.5,"gift":false,"note":null,"tags":["a","b"]}""")]
    [InlineData("""{"item":"tea","quantity":2,"address":{"zip":"0150","floor":3},"extra":{"a":1.5}}""")]
    [InlineData("""{"item":"🍵🍵","quantity":2,"free":"not an email"}""")]
    public void ArgumentsThatFit_HaveNoProblems(string arguments) => Assert.Empty(Problems(Order, arguments));

    [Theory]
    [InlineData("""[]""", "$ must be an object, not an array")]
    [InlineData("""{"item":"tea"}""", "$.quantity is required but missing")]
    [InlineData("""{"item":"tea","quantity":1,"colour":"red"}""", "$.colour is not a known property")]
    [InlineData("""{"item":"tea","quantity":1.5}""", "$.quantity must be an integer, not a number")]
    [InlineData("""{"item":"tea","quantity":"2"}""", "$.quantity must be an integer, not a string")]
    [InlineData("""{"item":"tea","quantity":11}""", "$.quantity must be at most 10")]
    [InlineData("""{"item":"tea","quantity":0}""", "$.quantity must be at least 1")]
    [InlineData("""{"item":"t","quantity":1}""", "$.item must be at least 2 characters long")]
    [InlineData("""{"item":"teapot","quantity":1}""", "$.item must be at most 5 characters long")]
    [InlineData("""{"item":"tea","quantity":1,"size":"XL"}""", "$.size must be one of \"S\", \"M\", \"L\"")]
    [InlineData("""{"item":"tea","quantity":1,"price":0}""", "$.price must be more than 0")]
    [InlineData("""{"item":"tea","quantity":1,"gift":"yes"}""", "$.gift must be a boolean, not a string")]
    [InlineData("""{"item":"tea","quantity":1,"note":3}""", "$.note must be a string or null, not an integer")]
    [InlineData("""{"item":"tea","quantity":1,"tags":["a",2]}""", "$.tags[1] must be a string, not an integer")]
    [InlineData("""{"item":"tea","quantity":1,"address":{}}""", "$.address.zip is required but missing")]
    [InlineData("""{"item":"tea","quantity":1,"extra":{"a":"b"}}""", "$.extra.a must be a number, not a string")]
    public void ArgumentsThatDoNotFit_NameTheProblemByPath(string arguments, string problem) =>
        Assert.Equal(problem, Assert.Single(Problems(Order, arguments)));

    [Fact]
    public void EveryProblemIsNamed_NotJustTheFirst()
    {
        var problems = Problems(Order, """{"quantity":"many","colour":"red"}""");

        Assert.Equal(["$.quantity must be an integer, not a string", "$.colour is not a known property", "$.item is required but missing"], problems);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""", null)]
    [InlineData("""{"type":"object","properties":{"a":{"anyOf":[{"type":"string"}]},"b":{"type":"integer","description":"x"}}}""", null)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"text"}}}""", "$.properties.a.type must be one of")]
    [InlineData("""{"type":"object","properties":[]}""", "$.properties must be an object of schemas")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array","items":7}}}""", "$.properties.a.items must be a schema object")]
    [InlineData("""{"type":"object","properties":{"a":{"enum":"x"}}}""", "$.properties.a.enum must be a list of values")]
    [InlineData("""{"properties":{}}""", "must describe an object")]
    [InlineData("""[]""", "must be a JSON object")]
    public void ConfiguredSchemas_AreCheckedAtStart(string schema, string? problem)
    {
        var problems = ArgumentSchema.CheckDefinition(schema);

        if (problem is null)
            Assert.Empty(problems);
        else
            Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Problems(string schema, string arguments)
    {
        using var schemaDocument = JsonDocument.Parse(schema);
        using var argumentsDocument = JsonDocument.Parse(arguments);
        return ArgumentSchema.Validate(schemaDocument.RootElement, argumentsDocument.RootElement);
    }
}
