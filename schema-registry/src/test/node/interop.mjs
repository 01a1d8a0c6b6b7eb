// Confluent's official Node client, used as an independent peer of Sluice's registry and Java serde.
// Each command prints one JSON line on stdout; errors go to stderr with exit code 1.
//   produce   <url> <user:password> <topic> <schema-file> <record-json>  -> {"id", "version", "payload" (base64)}
//   consume   <url> <topic> <payload-base64>                             -> the record as JSON
//   compatible <url> <subject> <schema-file>                             -> {"latest", "compatible"}
import { readFileSync } from 'node:fs';
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';

const [command, url, ...rest] = process.argv.slice(2);

function client(userInfo) {
  const config = { baseURLs: [url], cacheLatestTtlSecs: 1 };
  if (userInfo) {
    config.basicAuthCredentials = { credentialsSource: 'USER_INFO', userInfo };
  }
  return new SchemaRegistryClient(config);
}

// timestamp-millis fields come back as Date objects; print them as epoch milliseconds, as they were written
function plain(key, value) {
  return this[key] instanceof Date ? this[key].getTime() : value;
}

async function main() {
  if (command === 'produce') {
    const [userInfo, topic, schemaFile, recordJson] = rest;
    const registry = client(userInfo);
    const schema = readFileSync(schemaFile, 'utf8');
    await registry.register(`${topic}-value`, { schemaType: 'AVRO', schema });
    const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
    const payload = await serializer.serialize(topic, JSON.parse(recordJson));
    const latest = await registry.getLatestSchemaMetadata(`${topic}-value`);
    console.log(JSON.stringify({ id: latest.id, version: latest.version, payload: payload.toString('base64') }));
  } else if (command === 'consume') {
    const [topic, payload] = rest;
    const deserializer = new AvroDeserializer(client(), SerdeType.VALUE, {});
    const record = await deserializer.deserialize(topic, Buffer.from(payload, 'base64'));
    console.log(JSON.stringify(record, plain));
  } else if (command === 'compatible') {
    const [subject, schemaFile] = rest;
    const registry = client();
    const latest = await registry.getLatestSchemaMetadata(subject);
    const compatible = await registry.testCompatibility(subject, latest.version,
      { schemaType: 'AVRO', schema: readFileSync(schemaFile, 'utf8') });
    console.log(JSON.stringify({ latest: latest.version, compatible }));
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
