{
 "body": {
  "admin_public_key": "d781b2a64adeb07cb3893667ac48bdc4190bcdda4322875b4a63954ae4b353fe",
  "code_salt": "afa4be241d42b412e5347dc594a81935",
  "codes": [
   {
    "category": 1,
    "hash": "00c5242325e3f117ccddd19714fd0b52e3e06e0c6e023459c58ead087adda599",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "0e6dd94404b284a4c57d154ea889942613f977d68090dbb9be751431812b417a",
    "kiosk": 2
   },
   {
    "category": 0,
    "hash": "0f2f8f22bbaeaee752767e5dde7c4cbb3650047a1fc906657270885a560ff195",
    "kiosk": 2
   },
   {
    "category": 2,
    "hash": "1c7c38cf5422c01ec2b416345f4658aa9961ba060ad68236b74df3e86b8e2bf7",
    "kiosk": 2
   },
   {
    "category": 0,
    "hash": "36f7526ffe986cf5ce51f51567d890657d554ec98b9d9070b59a3df8ec1aad60",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "617ef4c3fd3c5d18519c0c51928152320fe9e0bbcd11fa0afddcd5bfa98a0607",
    "kiosk": 2
   },
   {
    "category": 0,
    "hash": "7bef202ea164879e81fa173e58eec6ec3615a83150e61154073ce51159272fbb",
    "kiosk": 2
   },
   {
    "category": 2,
    "hash": "80bbea25f737c74485778847008c7b12bd94837a70a840cbed8c3fe399b4d099",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "9877200c96ce42a798c691b571cdada2dc7e8681911ef5c8ca68c6c18048c99b",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "a47652f273eb286aeb8801f78245285e4eb88e1038d00e9d33e24d5fee226ccd",
    "kiosk": 2
   },
   {
    "category": 0,
    "hash": "a96aaee31b4ace749dcf53c7c84399c8873e31f0345369b7d778dc7e7f8351f4",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "c89a296ef3d6c1211c2e0116bda700e3a7617b51f8e35f5c9ae9e5b9ad465ca2",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "cfb3c78cb588ca80c1f83a9cbd860762771c33c7ed003406a43c2c3a48fbb2a9",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "d8368649018b3f87d32ef03b19586c9b659c7a0c7e5c8755ddf615c6e91e6ef4",
    "kiosk": 2
   },
   {
    "category": 0,
    "hash": "fcaee38bd6dbfe4aa47f276bab78a007203a221043a4be43da73a5332a00ef91",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "fecff2b0cae511882a62d85b4719fa3b3d7bf0f25d824022eba80e775668711d",
    "kiosk": 1
   }
  ],
  "election": {
   "categories": [
    {
     "codes": 8,
     "name": "党员",
     "weight": 70
    },
    {
     "codes": 3,
     "name": "团员青年代表",
     "weight": 15
    },
    {
     "codes": 5,
     "name": "群众代表",
     "weight": 15
    }
   ],
   "date": "2026-12-05",
   "default_grade": 1,
   "election_id": "c0f0a4ce5a4b1e5f00d1e2c3b4a59687",
   "grade_rules": [
    {
     "min_percent": 34,
     "option": 3,
     "suggest": 3
    },
    {
     "min_percent": 34,
     "option": 2,
     "suggest": 2
    },
    {
     "min_percent": 67,
     "option": 0,
     "suggest": 0
    }
   ],
   "kiosks": 2,
   "min_group_size": 3,
   "mode": "test",
   "options": [
    "优秀",
    "合格",
    "基本合格",
    "不合格"
   ],
   "organization": "示范党支部",
   "quota": {
    "max": 1,
    "option": 0
   },
   "roster": [
    {
     "id": "",
     "name": "张伟",
     "note": ""
    },
    {
     "id": "",
     "name": "王芳",
     "note": ""
    },
    {
     "id": "",
     "name": "李娜",
     "note": ""
    }
   ],
   "title": "2026年度示范党支部民主评议党员（一致性样本）"
  },
  "format": "pingyi-election-package",
  "public_key": "03e37aa0c37ffabd886d41a0505ad5c74bc8385bc41432f5eb99c730314fffa3d6",
  "suite": "P256-SHA256",
  "trustees": {
   "members": [
    {
     "commitments": [
      "029c3c0e4bf97d4e885591f0c308d8e88b02ee8d8a45624b3183191654a70437d4",
      "0365529bacb4693bb9a2940e9f4f279b9481d9ae46932625e4191360a82e457178"
     ],
     "confirmation": "34e97bdd7c7b22644bfab618b084b1e5d12dfc8b557312f129587a183a36e4e0104fce5775a425efa75542be9745be5936cf648fe75f75fe3a27df0a706ee25d",
     "index": 1,
     "name": "监票人 王强",
     "proofs": [
      "2ee7b7afaa8795c925580ca6630bd6f252ed54b0a2a4c383950709075805a9b05176f76e0590f8f101d3292e1c721909100aac21ecdd0d00b88ab0913342956f",
      "1343d63cdc41c9870329403324bb6863ef98c90f2576713567c58dc39ea7c1d2035553dc7098a495f5636a39dea00f7bb2fc999c5796046624ab5c66a09a006c"
     ],
     "transport_key": "029c62b73ff8fe335ef62b73da930297814a14147b72b3ab13525e57b7abb1b762"
    },
    {
     "commitments": [
      "0230fd9661d8051c36346ddf6b0ca407e9f22d965543fdf29bda9a3aa98bbd93eb",
      "0372903f9fd3a8826cda1c2cfd5adc994c1f40d36561bc2309d9a8bd17cc2afc8f"
     ],
     "confirmation": "3bb649aca612bf647d7e599241aca3deb63d7bd7c20ff3c13421d094c9688711521f94937c047e20ed60166c0feb209aafe6189b558da7cd993be7c90f530842",
     "index": 2,
     "name": "计票人 李梅",
     "proofs": [
      "f333c9956d755a15714b4ae1d00ce2399b6c606e10c18ea574d418fc680ccc70281fcf4ac9ca203f6ecb115e4dd5b1572ca11fce50f27bf1874d97c853390dbb",
      "6610fa33ac4bbccfc002d6a617f37be2944271684103def39cc19818964e97fae54b847704fb28da73445ad7f0fdaab35f5f915ae953ac8c2cac626bf4193531"
     ],
     "transport_key": "03f7b9e46c4d1b25ad8986db51c926daa8edb6289eb5dc67b21fe55febfff3d4d7"
    },
    {
     "commitments": [
      "02d9fb45aae4e8722d6feab444b498cdd5dd8b0d9afbbdd91062626ce75b8a2b14",
      "03a3f3682322a2a5b6c8f7f49797610bad76729878099e2e2d2a7d8a5cb83900ab"
     ],
     "confirmation": "d62a225b7accb89ccd37fdd67c52ddbf6d5a59106fe7dd4336c5144cecee6a6b37e9fb87e1187c17f4cafbb2d66f60d15fbcdbb6081a4206531084721c13d7e0",
     "index": 3,
     "name": "纪检委员 赵刚",
     "proofs": [
      "c763d8681e19c295eb87053f8127d23ae7bb2f7a789b6fc076dfb87670d43178601818db7b2d3eabe42551f8a96fe2315a53576d72594f82b5f8f4d44e9a0e24",
      "19305a520fa1d1cd2ddb21abbd83b5cfc8eb10cc07f5fc3b36a0afac6eca063a43b1fdb046e54383cedd7f8e2fcd924cef468b5dbbd609b1c0a134311b37a371"
     ],
     "transport_key": "03e2696de4f05bccc1c60c61334ffbdb21f5d94760d017ade0e23091d538076e93"
    }
   ],
   "threshold": 2
  },
  "version": 1
 },
 "signature": "77f88513d27905a4cb2e075e54b3c1433fcf5cf6bffdf93d63d889f08a478a6d2bdb05c339f72b1fb99556b5873b97ab335011fee4c2476840d3dae60f1f720f"
}
