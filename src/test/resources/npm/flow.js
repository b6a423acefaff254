// Drives Clavis with Clarifai's legacy JavaScript client, clarifai@2.9.1, as its users would.
// Reads data.json (images and texts made by the Java test), prints one JSON summary line.
'use strict';
const fs = require('fs');
const path = require('path');
const Clarifai = require('clarifai');

const endpoint = process.env.CLAVIS_URL;
const data = JSON.parse(fs.readFileSync(path.join(__dirname, 'data.json'), 'utf8'));
const summary = {};

async function main() {
  const app = new Clarifai.App({apiKey: process.env.CLAVIS_KEY, apiEndpoint: endpoint});

  // Inputs with concepts (value true, as 2.x users write it).
  const created = await app.inputs.create(data.train.map((t, i) => ({
    id: 'js-' + i, base64: t.base64, concepts: [{id: t.concept, value: true}], metadata: {from: 'js'},
  })));
  summary.inputsCreated = created.length;

  // A model over the concepts, trained synchronously (the client polls the version status).
  const concepts = [...new Set(data.train.map(t => t.concept))].map(id => ({id}));
  const model = await app.models.create({id: 'js-scenes', name: 'Scenes from JS'}, concepts,
      {conceptsMutuallyExclusive: true});
  const trained = await model.train(true);
  summary.trainedStatus = trained.modelVersion.status.code;

  // Predict held-out images with the trained version.
  const predictions = await app.models.predict({id: 'js-scenes', version: trained.modelVersion.id},
      data.probe.map(p => ({base64: p.base64})));
  let right = 0;
  predictions.outputs.forEach((o, i) => {
    if (o.data.concepts[0].id === data.probe[i].concept) right++;
  });
  summary.accuracy = right / data.probe.length;

  // Search by annotated concept.
  const found = await app.inputs.search([{concept: {id: data.probe[0].concept, type: 'input'}}], {page: 1, perPage: 100});
  summary.searchHits = found.hits.length;

  // A workflow around the model, run on one image.
  await app.workflows.create('js-flow', {modelId: 'js-scenes', modelVersionId: trained.modelVersion.id});
  const results = await app.workflow.predict('js-flow', {base64: data.probe[0].base64});
  summary.workflowTop = results.results[0].outputs[0].data.concepts[0].id;

  // A PAT with userId/appId reaches the public built-in model.
  const publicApp = new Clarifai.App({apiKey: process.env.CLAVIS_PAT, apiEndpoint: endpoint, userId: 'clavis', appId: 'main'});
  const colors = await publicApp.models.predict('color-recognition', {base64: data.red});
  summary.topColor = colors.outputs[0].data.concepts[0].name;

  console.log(JSON.stringify(summary));
}

main().catch(err => {
  const detail = err && err.response ? {status: err.response.status, data: err.response.data} : String(err && err.stack || err);
  console.log(JSON.stringify({error: detail}));
  process.exit(1);
});
